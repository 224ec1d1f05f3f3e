import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../server/src/contract/limits';
import { AppError } from '../../../server/src/errors';
import { processPhoto, type ProcessedPhoto } from '../../../server/src/photos/photos.processing';
import { appErrorOf, blankPng, fixture, jpegHeaderMarkers, withJpegDimensions } from './helpers';

const APP1 = 0xe1; // Exif, XMP
const APP2 = 0xe2; // ICC profile
const APP13 = 0xed; // IPTC (Photoshop IRB)

/** Asserts the stored bytes carry no metadata at all, by sharp's reading and by the raw header. */
async function expectNoMetadata(jpeg: Buffer): Promise<void> {
  const meta = await sharp(jpeg).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  const markers = jpegHeaderMarkers(jpeg);
  expect(markers).not.toContain(APP1);
  expect(markers).not.toContain(APP2);
  expect(markers).not.toContain(APP13);
  expect(jpeg.includes('Exif')).toBe(false);
  expect(jpeg.includes('GPS')).toBe(false);
}

/** Mean absolute per-channel difference of two images squashed to 16x16 sRGB (0 = identical, 255 = opposite). */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const small = (img: Buffer) =>
    sharp(img).resize(16, 16, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/** Whether an EXIF block has a GPS IFD pointer (tag 0x8825, type LONG) in either byte order. */
function hasGpsIfd(exif: Buffer): boolean {
  return (
    exif.includes(Buffer.from([0x88, 0x25, 0x00, 0x04])) ||
    exif.includes(Buffer.from([0x25, 0x88, 0x04, 0x00]))
  );
}

function longSide(p: { width: number; height: number }): number {
  return Math.max(p.width, p.height);
}

describe('processPhoto: EXIF orientation', () => {
  let upright: ProcessedPhoto;
  beforeAll(async () => {
    upright = await processPhoto(fixture('orientation-f1t.jpg'), 'photos[0]');
  });

  it('keeps the upright reference (orientation 1) as it is', async () => {
    expect([upright.width, upright.height]).toEqual([48, 80]);
    expect(await meanDifference(upright.jpeg, fixture('orientation-f1t.jpg'))).toBeLessThan(3);
  });

  it.each([2, 3, 4, 5, 6, 7, 8])('stores orientation %i upright, like orientation 1', async (n) => {
    const original = fixture(`orientation-f${n}t.jpg`);
    expect((await sharp(original).metadata()).orientation).toBe(n);
    // The same picture without applying the tag is far from the reference: the comparison can tell.
    expect(await meanDifference(await sharp(original).jpeg().toBuffer(), upright.jpeg)).toBeGreaterThan(40);

    const p = await processPhoto(original, 'photos[0]');
    expect([p.width, p.height]).toEqual([48, 80]);
    expect(await meanDifference(p.jpeg, upright.jpeg)).toBeLessThan(8);
    expect(await meanDifference(p.thumb, upright.thumb)).toBeLessThan(8);
    await expectNoMetadata(p.jpeg);
  });
});

describe('processPhoto: real phone and camera photos', () => {
  it('downscales the GPS-tagged Pixel photo to 2048 px and strips every piece of metadata', async () => {
    const original = fixture('IMG_20180725_163423.jpg');
    const before = await sharp(original).metadata();
    expect([before.width, before.height]).toEqual([4048, 3036]);
    expect(before.exif && hasGpsIfd(before.exif)).toBe(true);

    const p = await processPhoto(original, 'photos[0]');
    expect([p.width, p.height]).toEqual([2048, 1536]);
    await expectNoMetadata(p.jpeg);

    const stored = await sharp(p.jpeg).metadata();
    expect([stored.width, stored.height]).toEqual([p.width, p.height]);
    expect(stored.space).toBe('srgb');
    expect(p.bytes).toBe(p.jpeg.length);
    expect(p.sha256).toBe(createHash('sha256').update(p.jpeg).digest('hex'));
  });

  it('makes a 320 px thumbnail with no metadata and the same picture', async () => {
    const p = await processPhoto(fixture('IMG_20180725_163423.jpg'), 'photos[0]');
    expect([p.thumbWidth, p.thumbHeight]).toEqual([320, 240]);
    const thumbMeta = await sharp(p.thumb).metadata();
    expect([thumbMeta.width, thumbMeta.height]).toEqual([320, 240]);
    await expectNoMetadata(p.thumb);
    expect(await meanDifference(p.thumb, p.jpeg)).toBeLessThan(5);
  });

  it('downscales the 17.9 MP Canon photo to 2048 px on the long side', async () => {
    const p = await processPhoto(fixture('canon-dslr.jpg'), 'photos[0]');
    expect(longSide(p)).toBe(LIMITS.photoLongSide);
    expect(p.width / p.height).toBeCloseTo(5184 / 3456, 2);
    await expectNoMetadata(p.jpeg);
  });

  it('removes the IPTC creator ("John Doe")', async () => {
    const original = fixture('iptc-staff-photographer-example.jpg');
    expect(original.includes('John Doe')).toBe(true);
    const p = await processPhoto(original, 'photos[0]');
    expect(p.jpeg.includes('John Doe')).toBe(false);
    expect(p.thumb.includes('John Doe')).toBe(false);
    await expectNoMetadata(p.jpeg);
  });

  it('accepts a PNG carrying EXIF with GPS and stores a clean JPEG', async () => {
    const original = fixture('png-png_with_exif_and_gps.png');
    expect(original.includes('GPS')).toBe(true);
    const p = await processPhoto(original, 'photos[0]');
    expect([p.width, p.height]).toEqual([1, 1]);
    await expectNoMetadata(p.jpeg);
  });

  it('never enlarges a small photo', async () => {
    const p = await processPhoto(fixture('noexif.jpg'), 'photos[0]');
    expect([p.width, p.height]).toEqual([250, 188]);
    expect([p.thumbWidth, p.thumbHeight]).toEqual([250, 188]);
  });

  it('gives the same sha for the same upload, so a retried upload lands on the same file', async () => {
    const a = await processPhoto(fixture('noexif.jpg'), 'photos[0]');
    const b = await processPhoto(fixture('noexif.jpg'), 'photos[1]');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
  });

  it('puts transparent areas on white, not black', async () => {
    const transparent = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const p = await processPhoto(transparent, 'photos[0]');
    const { data } = await sharp(p.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(245);
  });

  it('accepts WebP', async () => {
    const webp = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#336699' } })
      .webp()
      .toBuffer();
    const p = await processPhoto(webp, 'photos[0]');
    expect([p.width, p.height]).toEqual([30, 20]);
  });
});

describe('processPhoto: HEIC from iPhones', () => {
  it('decodes the iPhone photo or refuses it with a clear 415, never another error', async () => {
    const heic = fixture('heic-iphone7.heic');
    let outcome: ProcessedPhoto | AppError;
    try {
      outcome = await processPhoto(heic, 'photos[2]');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      outcome = err as AppError;
    }
    if (outcome instanceof AppError) {
      expect(outcome.status).toBe(415);
      expect(outcome.code).toBe('unsupported_media_type');
      expect(outcome.field).toBe('photos[2]');
      expect(outcome.message).toMatch(/JPEG/);
      expect(outcome.message).toMatch(/Most Compatible/);
    } else {
      expect(longSide(outcome)).toBe(LIMITS.photoLongSide);
      await expectNoMetadata(outcome.jpeg);
    }
  });
});

describe('processPhoto: damaged files', () => {
  it.each([
    'broken1.jpg',
    'RangeError_Invalid_typed_array_length.jpg',
    'RangeError_Offset_outside_bounds.jpg',
  ])('%s is decoded cleanly or refused with a 4xx AppError', async (name) => {
    let outcome: ProcessedPhoto | AppError;
    try {
      outcome = await processPhoto(fixture(name), 'photos[1]');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      outcome = err as AppError;
    }
    if (outcome instanceof AppError) {
      expect(outcome.status).toBeGreaterThanOrEqual(400);
      expect(outcome.status).toBeLessThan(500);
      expect(outcome.field).toBe('photos[1]');
    } else {
      expect(outcome.width).toBeGreaterThan(0);
      await expectNoMetadata(outcome.jpeg);
    }
  });

  it('refuses a truncated JPEG with 422 invalid_image naming the field', async () => {
    const whole = fixture('noexif.jpg');
    const err = await appErrorOf(() => processPhoto(whole.subarray(0, whole.length >> 1), 'photos[3]'));
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid_image');
    expect(err.field).toBe('photos[3]');
    expect(err.message).toContain('photos[3]');
  });

  it('refuses a JPEG cut right after its header with 422', async () => {
    const whole = fixture('noexif.jpg');
    const err = await appErrorOf(() => processPhoto(whole.subarray(0, 700), 'photos[0]'));
    expect(err.status).toBe(422);
  });
});

describe('processPhoto: files that are not photos', () => {
  it('refuses an HTML file named .jpg with 415', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    const err = await appErrorOf(() => processPhoto(html, 'photos[0]'));
    expect(err.status).toBe(415);
    expect(err.code).toBe('unsupported_media_type');
    expect(err.field).toBe('photos[0]');
  });

  it('refuses a text file with 415', async () => {
    const err = await appErrorOf(() => processPhoto(Buffer.from('just some text\n'.repeat(50)), 'photos[1]'));
    expect(err.status).toBe(415);
    expect(err.field).toBe('photos[1]');
  });

  it('refuses an empty file with 415', async () => {
    const err = await appErrorOf(() => processPhoto(Buffer.alloc(0), 'photos[0]'));
    expect(err.status).toBe(415);
  });

  it('refuses an image type Vigie does not take (GIF) with 415', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } })
      .gif()
      .toBuffer();
    const err = await appErrorOf(() => processPhoto(gif, 'photos[0]'));
    expect(err.status).toBe(415);
  });

  it('refuses a JPEG magic number followed by junk with 422', async () => {
    const fake = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('not really a jpeg'.repeat(20)),
    ]);
    const err = await appErrorOf(() => processPhoto(fake, 'photos[0]'));
    expect(err.status).toBe(422);
  });

  it('refuses a file above the upload limit with 413', async () => {
    const big = Buffer.concat([fixture('noexif.jpg'), Buffer.alloc(LIMITS.maxPhotoBytes)]);
    const err = await appErrorOf(() => processPhoto(big, 'photos[0]'));
    expect(err.status).toBe(413);
    expect(err.field).toBe('photos[0]');
  });
});

describe('processPhoto: pixel flood', () => {
  it('builds flood files that are valid images (the generator is not what gets refused)', async () => {
    const p = await processPhoto(blankPng(300, 200), 'photos[0]');
    expect([p.width, p.height]).toEqual([300, 200]);
  });

  it('refuses a few-KB PNG of 20000x20000 px with 422 image_too_large, from the header, fast', async () => {
    const flood = blankPng(20_000, 20_000);
    expect(flood.length).toBeLessThan(200_000);
    const meta = await sharp(flood, { limitInputPixels: false }).metadata();
    expect([meta.width, meta.height]).toEqual([20_000, 20_000]);

    const started = performance.now();
    const err = await appErrorOf(() => processPhoto(flood, 'photos[0]'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.status).toBe(422);
    expect(err.code).toBe('image_too_large');
    expect(err.field).toBe('photos[0]');
    // Only the header check knows the size; a decoder refusing mid-way could not say it.
    expect(err.message).toContain('400 million');
  });

  it('refuses a JPEG whose header claims 60000x60000 px with 422 image_too_large', async () => {
    const flood = withJpegDimensions(fixture('noexif.jpg'), 60_000, 60_000);
    const started = performance.now();
    const err = await appErrorOf(() => processPhoto(flood, 'photos[1]'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.status).toBe(422);
    expect(err.code).toBe('image_too_large');
  });

  it('refuses just above the limit and accepts just below it', async () => {
    const side = Math.ceil(Math.sqrt(LIMITS.maxInputPixels));
    const above = await appErrorOf(() => processPhoto(blankPng(side + 1, side), 'photos[0]'));
    expect(above.code).toBe('image_too_large');
    const below = await processPhoto(blankPng(side - 1, side - 1), 'photos[0]');
    expect(longSide(below)).toBe(LIMITS.photoLongSide);
  });
});
