/** What a gallery photo tells about where and when it was taken. */
export interface PhotoMetadata {
  /** GPS position from EXIF, when present and plausible. */
  gps: { lat: number; lon: number; accuracy: number } | null;
  /** When the photo was taken (EXIF DateTimeOriginal), when present and not in the future. */
  takenAt: Date | null;
}

/** Assumed accuracy of an EXIF position without GPSHPositioningError, metres. */
export const EXIF_DEFAULT_ACCURACY = 30;

/** What exifr reads: only the GPS block and the original date (a few KB from the file's start). */
export const EXIF_OPTIONS = {
  ifd0: { pick: [] as string[] },
  ifd1: false,
  exif: { pick: ['DateTimeOriginal'] },
  gps: { pick: ['GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef', 'GPSHPositioningError'] },
};

/** Validates raw EXIF values into metadata (pure: tested without a browser). */
export function toMetadata(
  raw:
    | {
        latitude?: unknown;
        longitude?: unknown;
        GPSHPositioningError?: unknown;
        DateTimeOriginal?: unknown;
      }
    | null
    | undefined,
  now: Date,
): PhotoMetadata {
  const lat = raw?.latitude;
  const lon = raw?.longitude;
  const err = raw?.GPSHPositioningError;
  const validPosition =
    typeof lat === 'number' &&
    typeof lon === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    !(lat === 0 && lon === 0); // "0,0" is what broken cameras write when they have no fix
  const accuracy =
    typeof err === 'number' && Number.isFinite(err) && err > 0
      ? Math.min(err, 100_000)
      : EXIF_DEFAULT_ACCURACY;
  const taken = raw?.DateTimeOriginal;
  const validDate =
    taken instanceof Date && !Number.isNaN(taken.getTime()) && taken.getTime() <= now.getTime();
  return {
    gps: validPosition ? { lat, lon, accuracy } : null,
    takenAt: validDate ? taken : null,
  };
}

/**
 * Reads EXIF GPS and date from the original file, before compression drops them. exifr is
 * loaded on demand (not needed to show the capture screen). Never throws: a photo with broken
 * metadata is still a photo.
 */
export async function readPhotoMetadata(file: Blob): Promise<PhotoMetadata> {
  try {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    const raw = (await exifr.parse(file, EXIF_OPTIONS)) as Parameters<typeof toMetadata>[0];
    return toMetadata(raw, new Date());
  } catch {
    return { gps: null, takenAt: null };
  }
}
