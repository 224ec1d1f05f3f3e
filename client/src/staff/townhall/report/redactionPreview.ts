import {
  blurBlock,
  type RedactionRect,
  type RedactionStyle,
} from '../../../../../server/src/contract/moderation';

/** The colour of a solid redaction, as the server paints it. */
const FILL = '#1b1f23';

/**
 * Draws what the redaction will look like (the server's result is the same in kind: solid
 * fill, or pixelation in blocks of the same size) on a canvas the size of the stored photo.
 */
export function drawRedactionPreview(
  canvas: HTMLCanvasElement,
  img: HTMLImageElement,
  natural: { width: number; height: number },
  rects: readonly RedactionRect[],
  style: RedactionStyle,
): void {
  canvas.width = natural.width;
  canvas.height = natural.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.drawImage(img, 0, 0, natural.width, natural.height);
  for (const r of rects) {
    if (style === 'fill') {
      ctx.fillStyle = FILL;
      ctx.fillRect(r.x, r.y, r.width, r.height);
      continue;
    }
    const block = blurBlock(r);
    const small = document.createElement('canvas');
    small.width = Math.max(1, Math.round(r.width / block));
    small.height = Math.max(1, Math.round(r.height / block));
    small.getContext('2d')?.drawImage(canvas, r.x, r.y, r.width, r.height, 0, 0, small.width, small.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, small.width, small.height, r.x, r.y, r.width, r.height);
    ctx.imageSmoothingEnabled = true;
  }
}
