import { encodePhoto, offscreenSurface, type ProcessedPhoto } from './resize';

/** A request to the photo worker. */
export interface PhotoRequest {
  id: number;
  file: Blob;
}

/** The worker's answer. */
export type PhotoResponse =
  { id: number; ok: true; photo: ProcessedPhoto } | { id: number; ok: false; error: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<PhotoRequest>) => void) | null;
  postMessage(message: PhotoResponse): void;
}
const scope = self as unknown as WorkerScope;

/**
 * Decodes with the EXIF orientation applied by the browser (`imageOrientation: 'from-image'`),
 * downscales on an OffscreenCanvas and encodes JPEG, off the main thread so the screen stays
 * responsive while a 12 MP photo is processed.
 */
async function handle({ id, file }: PhotoRequest): Promise<void> {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    try {
      const photo = await encodePhoto(bitmap, offscreenSurface);
      scope.postMessage({ id, ok: true, photo });
    } finally {
      bitmap.close();
    }
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

// One photo at a time: four decoded 12 MP bitmaps at once (about 200 MB) would not fit on a small phone.
let queue = Promise.resolve();
scope.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};
