import type { PhotoRequest, PhotoResponse } from './photo.worker';
import { encodePhoto, offscreenSurface, type ProcessedPhoto, type Surface } from './resize';

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (p: ProcessedPhoto) => void; reject: (e: Error) => void }>();

/** The photo worker, or null where workers with OffscreenCanvas are unavailable. */
function photoWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return (worker = null);
  try {
    worker = new Worker(new URL('./photo.worker.ts', import.meta.url), { type: 'module', name: 'photos' });
    worker.onmessage = (e: MessageEvent<PhotoResponse>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.photo);
      else p.reject(new Error(e.data.error));
    };
    worker.onerror = () => {
      // A worker that cannot start (old browser, blocked script): process on the main thread.
      for (const p of pending.values()) p.reject(new Error('photo worker failed'));
      pending.clear();
      worker = null;
    };
  } catch {
    worker = null;
  }
  return worker;
}

function inWorker(w: Worker, file: Blob): Promise<ProcessedPhoto> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const request: PhotoRequest = { id, file };
    w.postMessage(request);
  });
}

function canvasSurface(width: number, height: number): Surface {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.imageSmoothingQuality = 'high';
  return {
    draw: (source, w, h) => ctx.drawImage(source, 0, 0, w, h),
    toJpeg: (quality) =>
      new Promise((resolve, reject) =>
        canvas.toBlob(
          (b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))),
          'image/jpeg',
          quality,
        ),
      ),
  };
}

async function decodeOnMainThread(
  file: Blob,
): Promise<CanvasImageSource & { width: number; height: number }> {
  if (typeof createImageBitmap === 'function') {
    return createImageBitmap(file, { imageOrientation: 'from-image' });
  }
  // Oldest browsers: an <img> (CSS image-orientation defaults to from-image).
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return Object.assign(img, { width: img.naturalWidth, height: img.naturalHeight });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The main-thread path, where there is no OffscreenCanvas (or the worker failed). */
async function onMainThread(file: Blob): Promise<ProcessedPhoto> {
  const source = await decodeOnMainThread(file);
  try {
    const surface = typeof OffscreenCanvas !== 'undefined' ? offscreenSurface : canvasSurface;
    return await encodePhoto(source, surface);
  } finally {
    if ('close' in source && typeof source.close === 'function') source.close();
  }
}

let tail: Promise<unknown> = Promise.resolve();

/**
 * Prepares a photo for upload: upright, at most 2048 px, JPEG about 0.7, a few hundred KB.
 * Runs in a Web Worker when it can, on the main thread otherwise; one photo at a time (memory).
 */
export function processPhoto(file: Blob): Promise<ProcessedPhoto> {
  const run = tail.then(() => processOne(file));
  tail = run.catch(() => undefined);
  return run;
}

async function processOne(file: Blob): Promise<ProcessedPhoto> {
  const w = photoWorker();
  if (w) {
    try {
      return await inWorker(w, file);
    } catch (err) {
      if (photoWorker() !== null) throw err; // the worker runs: the photo itself is the problem
    }
  }
  return onMainThread(file);
}
