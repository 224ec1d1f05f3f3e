import sharp, { type OverlayOptions } from 'sharp';
import { LIMITS } from '../contract/limits';
import { blurBlock, redactionProblem, type RedactionRect, type RedactionStyle } from '../contract/moderation';
import { UnprocessableError } from '../errors';
import { inImageSlot, JPEG_QUALITY, storedPhoto, type ProcessedPhoto } from './photos.processing';

/** Colour of a solid redaction: near-black, so it reads as "removed on purpose", not as a glitch. */
const FILL = { r: 27, g: 31, b: 35 };

/**
 * A redacted rendition of a stored photo: each rectangle painted over (solid fill) or
 * pixelated and blurred, the whole re-encoded as a new JPEG (no metadata), content-addressed
 * like every photo, with a thumbnail made from the redacted pixels. `input` is a JPEG Vigie
 * stored itself; the rectangles were validated against its size, and are checked again here
 * against the decoded image, so a row and a file that disagree never give a half-redacted photo.
 */
export function redactPhoto(
  input: Buffer,
  rects: readonly RedactionRect[],
  style: RedactionStyle,
): Promise<ProcessedPhoto> {
  return inImageSlot(() => redact(input, rects, style));
}

async function redact(
  input: Buffer,
  rects: readonly RedactionRect[],
  style: RedactionStyle,
): Promise<ProcessedPhoto> {
  const meta = await sharp(input, { limitInputPixels: LIMITS.maxInputPixels }).metadata();
  const size = { width: meta.width ?? 0, height: meta.height ?? 0 };
  const problem = redactionProblem(rects, size);
  if (problem)
    throw UnprocessableError(
      `rectangles.${problem.index}: ${problem.message}.`,
      'rectangle_out_of_bounds',
      `rectangles.${problem.index}`,
    );

  const overlays: OverlayOptions[] = [];
  for (const r of rects) {
    if (style === 'fill') {
      overlays.push({
        input: { create: { width: r.width, height: r.height, channels: 3, background: FILL } },
        left: r.x,
        top: r.y,
      });
      continue;
    }
    const block = blurBlock(r);
    const small = await sharp(input, { limitInputPixels: LIMITS.maxInputPixels })
      .extract({ left: r.x, top: r.y, width: r.width, height: r.height })
      .resize(Math.max(1, Math.round(r.width / block)), Math.max(1, Math.round(r.height / block)), {
        fit: 'fill',
      })
      .toBuffer();
    const pixelated = await sharp(small)
      .resize(r.width, r.height, { fit: 'fill', kernel: 'nearest' })
      .blur(Math.max(0.3, block / 3))
      .toBuffer();
    overlays.push({ input: pixelated, left: r.x, top: r.y });
  }

  const out = await sharp(input, { limitInputPixels: LIMITS.maxInputPixels })
    .composite(overlays)
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return storedPhoto(out.data, out.info.width, out.info.height);
}
