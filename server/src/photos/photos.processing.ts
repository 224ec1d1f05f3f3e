import { createHash } from 'node:crypto';
import os from 'node:os';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { LIMITS } from '../contract/limits';
import { type AppError, PayloadTooLargeError, UnprocessableError, UnsupportedMediaError } from '../errors';

/**
 * A photo as Vigie stores it: re-encoded, upright, stripped of every piece of metadata, and
 * named by the hash of the bytes actually written, so the same photo sent twice (an outbox
 * retry) lands on the same file.
 */
export interface ProcessedPhoto {
  /** Lower-case hex SHA-256 of `jpeg`: the content address used by the store and the database. */
  sha256: string;
  /** Width of the stored JPEG, pixels (after EXIF orientation was applied). */
  width: number;
  /** Height of the stored JPEG, pixels. */
  height: number;
  /** Size of `jpeg`, bytes (kept in the database so listings need no stat). */
  bytes: number;
  /** The stored photo: baseline JPEG, sRGB, no EXIF/GPS/IPTC/XMP. */
  jpeg: Buffer;
  /** Small preview for lists and map pop-ups, made from `jpeg`'s pixels. */
  thumb: Buffer;
  /** Width of `thumb`, pixels. */
  thumbWidth: number;
  /** Height of `thumb`, pixels. */
  thumbHeight: number;
}

/** JPEG quality of stored photos and thumbnails: road defects stay legible, files stay small. */
export const JPEG_QUALITY = 82;

/** MIME types (from magic bytes, never from the client) that Vigie decodes. */
const HEIF_MIMES: ReadonlySet<string> = new Set([
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);
const ACCEPTED_MIMES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', ...HEIF_MIMES]);
/** The matching libvips loader names, checked too so a polyglot cannot reach another decoder. */
const ACCEPTED_SHARP_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);

const SEND_JPEG_HINT =
  'Send a JPEG instead (on an iPhone: Settings > Camera > Formats > "Most Compatible"), ' +
  'or use the Vigie app, which converts photos before sending.';

/**
 * Whether this sharp build can decode HEVC-compressed HEIF (iPhone photos). The prebuilt sharp
 * binaries ship libheif with the AV1 decoder only (HEVC is patent-encumbered), and libvips then
 * advertises ".avif" alone as a heifload suffix; a libvips built with libde265 also lists ".heic".
 * Checked against a real iPhone 7 file: with sharp 0.35.5's prebuilt binaries `metadata()`
 * succeeds but decoding fails with "Support for this compression format has not been built in:
 * HEVC". Decode failures of HEIF input are mapped to 415 as well, in case this probe is wrong.
 */
const HEVC_DECODABLE: boolean = (() => {
  const suffixes = sharp.format.heif?.input.fileSuffix ?? [];
  return suffixes.includes('.heic') || suffixes.includes('.heif');
})();

const unsupportedHeic = (field: string): AppError =>
  UnsupportedMediaError(`${field}: HEIC photos cannot be read by this server. ${SEND_JPEG_HINT}`, field);

const invalidImage = (field: string): AppError =>
  UnprocessableError(
    `${field}: the image is damaged or incomplete and cannot be read.`,
    'invalid_image',
    field,
  );

const tooLarge = (field: string, pixels?: number): AppError =>
  UnprocessableError(
    `${field}: the image has ${pixels ? `${Math.round(pixels / 1e6)} million` : 'too many'} pixels; ` +
      `the limit is ${Math.round(LIMITS.maxInputPixels / 1e6)} million.`,
    'image_too_large',
    field,
  );

/**
 * How many photos are decoded at once. Each decode runs on one thread of libuv's pool (sharp
 * keeps libvips at one thread per image on glibc Linux) and holds its decoded pixels (up to
 * ~160 MB for a 40 MP upload): more at once than there are cores only adds memory, and it takes
 * every pool thread, so the file writes of the requests in flight queue behind decodes. Requests
 * beyond the limit parse their bodies and query the database meanwhile, then wait their turn.
 */
const IMAGE_SLOTS = Math.max(1, os.availableParallelism());
let busySlots = 0;
const waiting: Array<() => void> = [];

/** Runs `work` in one of the image slots (FIFO): every decode of a photo goes through here (uploads, redactions). */
export async function inImageSlot<T>(work: () => Promise<T>): Promise<T> {
  if (busySlots >= IMAGE_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else busySlots++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or free it.
    const next = waiting.shift();
    if (next) next();
    else busySlots--;
  }
}

/**
 * Turns an untrusted upload into the photo Vigie stores. Everything the client claims (name,
 * MIME type, size) is ignored: the type comes from magic bytes, the size from the image header,
 * and the stored bytes are a fresh encode, so no EXIF (GPS, camera serial), IPTC or XMP of the
 * resident ever reaches the disk. The original is decoded exactly once (the costly step); the
 * thumbnail is made from the already downscaled photo. Every refusal is an AppError carrying
 * `field` (e.g. `photos[0]`) so the client can point at the offending photo.
 */
export async function processPhoto(input: Buffer, field: string): Promise<ProcessedPhoto> {
  if (input.length > LIMITS.maxPhotoBytes) {
    throw PayloadTooLargeError(
      `${field}: the photo is larger than ${Math.round(LIMITS.maxPhotoBytes / (1024 * 1024))} MB.`,
      field,
    );
  }

  const detected = input.length > 0 ? await fileTypeFromBuffer(input) : undefined;
  if (!detected || !ACCEPTED_MIMES.has(detected.mime)) {
    throw UnsupportedMediaError(`${field}: only JPEG, PNG, WebP or HEIC photos are accepted.`, field);
  }
  const isHeif = HEIF_MIMES.has(detected.mime);

  // Header only: refuse a pixel flood (a few KB that would decode to gigabytes) before any decode.
  let meta: Metadata;
  try {
    // limitInputPixels off: this reads the header only, and the limit is enforced just below
    // with a precise error (sharp's default limit would throw a generic one).
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage(field);
  }
  if (!ACCEPTED_SHARP_FORMATS.has(meta.format)) {
    throw UnsupportedMediaError(`${field}: only JPEG, PNG, WebP or HEIC photos are accepted.`, field);
  }
  if (!meta.width || !meta.height) throw invalidImage(field);
  const pixels = meta.width * meta.height;
  if (pixels > LIMITS.maxInputPixels) throw tooLarge(field, pixels);
  if (isHeif && meta.compression === 'hevc' && !HEVC_DECODABLE) throw unsupportedHeic(field);

  return inImageSlot(() => encode(input, field, isHeif));
}

/** The costly part: decode once, orient, downscale, re-encode; then the thumbnail from the result. */
async function encode(input: Buffer, field: string, isHeif: boolean): Promise<ProcessedPhoto> {
  let full: { data: Buffer; info: OutputInfo };
  try {
    full = await sharp(input, { limitInputPixels: LIMITS.maxInputPixels, failOn: 'error' })
      .rotate() // EXIF orientation; the tag itself is dropped with the rest of the metadata.
      .flatten({ background: '#ffffff' }) // transparent PNG/WebP: white, not JPEG's default black
      .resize(LIMITS.photoLongSide, LIMITS.photoLongSide, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw decodeError(err, field, isHeif);
  }

  return storedPhoto(full.data, full.info.width, full.info.height);
}

/**
 * A photo ready for the store from the JPEG Vigie encoded itself (an upload's re-encode, a
 * redaction): its content address and its thumbnail. The thumbnail decodes this small JPEG
 * (with DCT shrink-on-load), never the original again, so a redacted photo's thumbnail is
 * redacted too.
 */
export async function storedPhoto(jpeg: Buffer, width: number, height: number): Promise<ProcessedPhoto> {
  const thumb = await sharp(jpeg)
    .resize(LIMITS.thumbLongSide, LIMITS.thumbLongSide, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });

  return {
    sha256: createHash('sha256').update(jpeg).digest('hex'),
    width,
    height,
    bytes: jpeg.length,
    jpeg,
    thumb: thumb.data,
    thumbWidth: thumb.info.width,
    thumbHeight: thumb.info.height,
  };
}

/** Maps a libvips failure on untrusted input to a 4xx: a bad upload is never a server error. */
function decodeError(err: unknown, field: string, isHeif: boolean): AppError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return tooLarge(field);
  if (isHeif && /not been built in|no decoder|unsupported/i.test(message)) return unsupportedHeic(field);
  return invalidImage(field);
}
