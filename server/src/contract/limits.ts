/**
 * Limits shared by the client (forms, photo processing) and the server (validation, multer).
 * One place, so the phone never prepares a report the server will refuse.
 */
export const LIMITS = {
  /** Photos per report. */
  maxPhotos: 4,
  /** Minimum photos per report. */
  minPhotos: 1,
  /** Largest accepted upload per photo, bytes (a camera original, before client-side downscale). */
  maxPhotoBytes: 15 * 1024 * 1024,
  /** Decoded pixels above this are refused (pixel-flood protection), about 40 MP. */
  maxInputPixels: 40_000_000,
  /** Long side of the stored photo, pixels. */
  photoLongSide: 2048,
  /** Long side of the thumbnail, pixels. */
  thumbLongSide: 320,
  /** Description length, characters. */
  maxDescription: 2000,
  /** Reporter token length bounds (a device secret). */
  minReporterToken: 32,
  maxReporterToken: 256,
  /** Email length (RFC 5321 path limit). */
  maxEmail: 254,
  /** Non-file multipart fields per request and their size. */
  maxFields: 20,
  maxFieldBytes: 16 * 1024,
  /** JSON bodies. */
  maxJsonBytes: 100 * 1024,
  /** Page size of list endpoints. */
  defaultPageSize: 50,
  maxPageSize: 200,
  /** Radius of the "already reported nearby" hint, metres. */
  nearbyRadiusMetres: 50,
  /** Accuracy bounds, metres. */
  maxAccuracyMetres: 100_000,
} as const;
