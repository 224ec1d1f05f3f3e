import { LIMITS } from '../../../../server/src/contract/limits';

/** Long side of the photo sent to the server (the contract's stored size: no pixel is wasted). */
export const PHOTO_LONG_SIDE = LIMITS.photoLongSide;
/** Long side of the small copy kept on the device for lists. */
export const THUMB_LONG_SIDE = 320;
/** JPEG qualities tried in turn until the photo fits the byte target. */
export const JPEG_QUALITIES = [0.7, 0.6, 0.5] as const;
/** Last resort for an unusually busy photo: a smaller long side (still within DESIGN.md's 1600-2048 px). */
export const FALLBACK_LONG_SIDE = 1600;
/** Byte target per photo: a 12 MP phone photo must fit a report of at most 500 KB. */
export const PHOTO_TARGET_BYTES = 480_000;

/** Size that fits `longSide` on the long side, keeping the aspect ratio; never upscales. */
export function fitWithin(
  width: number,
  height: number,
  longSide: number,
): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error('image has no size');
  const scale = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A processed photo. */
export interface ProcessedPhoto {
  /** JPEG, at most 2048 px on the long side, upright, without metadata. */
  blob: Blob;
  /** JPEG, at most 320 px on the long side. */
  thumb: Blob;
  width: number;
  height: number;
}

/** Anything `drawImage` can draw and whose size is known. */
interface Drawable {
  width: number;
  height: number;
}

/** A canvas that can encode JPEG: OffscreenCanvas in the worker, HTMLCanvasElement on the main thread. */
export interface Surface {
  draw(source: CanvasImageSource & Drawable, width: number, height: number): void;
  toJpeg(quality: number): Promise<Blob>;
}

/**
 * Downscales and encodes a decoded, upright image (the decoder applied the EXIF orientation:
 * no rotation here, so never twice). Lowers the quality until the photo fits the byte target.
 */
export async function encodePhoto(
  source: CanvasImageSource & Drawable,
  makeSurface: (width: number, height: number) => Surface,
): Promise<ProcessedPhoto> {
  let size = fitWithin(source.width, source.height, PHOTO_LONG_SIDE);
  let blob = await encodeFitting(source, size, JPEG_QUALITIES, makeSurface);
  if (blob.size > PHOTO_TARGET_BYTES && Math.max(size.width, size.height) > FALLBACK_LONG_SIDE) {
    size = fitWithin(source.width, source.height, FALLBACK_LONG_SIDE);
    blob = await encodeFitting(source, size, JPEG_QUALITIES.slice(1), makeSurface);
  }
  const t = fitWithin(source.width, source.height, THUMB_LONG_SIDE);
  const thumbSurface = makeSurface(t.width, t.height);
  thumbSurface.draw(source, t.width, t.height);
  const thumb = await thumbSurface.toJpeg(0.6);
  return { blob, thumb, width: size.width, height: size.height };
}

async function encodeFitting(
  source: CanvasImageSource & Drawable,
  size: { width: number; height: number },
  qualities: readonly number[],
  makeSurface: (width: number, height: number) => Surface,
): Promise<Blob> {
  const surface = makeSurface(size.width, size.height);
  surface.draw(source, size.width, size.height);
  let blob: Blob | undefined;
  for (const quality of qualities) {
    blob = await surface.toJpeg(quality);
    if (blob.size <= PHOTO_TARGET_BYTES) break;
  }
  return blob!;
}

/** An OffscreenCanvas surface (worker, or main thread where available). */
export function offscreenSurface(width: number, height: number): Surface {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.imageSmoothingQuality = 'high';
  return {
    draw: (source, w, h) => ctx.drawImage(source, 0, 0, w, h),
    toJpeg: (quality) => canvas.convertToBlob({ type: 'image/jpeg', quality }),
  };
}
