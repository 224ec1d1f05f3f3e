import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { describe, expect, it } from 'vitest';
import { EXIF_OPTIONS, toMetadata } from '../../../client/src/report/photos/exif';
import {
  encodePhoto,
  fitWithin,
  PHOTO_LONG_SIDE,
  PHOTO_TARGET_BYTES,
  type Surface,
} from '../../../client/src/report/photos/resize';
import { PHOTOS_DIR } from '../../support/fixtures';

describe('fitWithin', () => {
  it('brings a 12 MP phone photo (4048x3036) to 2048 px on the long side, keeping its shape', () => {
    expect(fitWithin(4048, 3036, PHOTO_LONG_SIDE)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3036, 4048, PHOTO_LONG_SIDE)).toEqual({ width: 1536, height: 2048 });
  });

  it('never upscales a small photo and never returns zero', () => {
    expect(fitWithin(80, 48, 2048)).toEqual({ width: 80, height: 48 });
    expect(fitWithin(10_000, 1, 2048)).toEqual({ width: 2048, height: 1 });
    expect(() => fitWithin(0, 10, 2048)).toThrow();
  });
});

describe('encodePhoto', () => {
  /** A canvas whose JPEG size depends on the quality, as a real encoder's does. */
  function fakeSurfaces(bytesAt: (quality: number, w: number) => number) {
    const made: { width: number; height: number; qualities: number[] }[] = [];
    const make = (width: number, height: number): Surface => {
      const rec = { width, height, qualities: [] as number[] };
      made.push(rec);
      return {
        draw: () => {},
        toJpeg: async (q) => {
          rec.qualities.push(q);
          return new Blob([new Uint8Array(bytesAt(q, width))], { type: 'image/jpeg' });
        },
      };
    };
    return { made, make };
  }
  const source = { width: 4048, height: 3036 } as unknown as CanvasImageSource & {
    width: number;
    height: number;
  };

  it('encodes at quality 0.7 when that fits, plus a 320 px thumbnail', async () => {
    const { made, make } = fakeSurfaces(() => 350_000);
    const out = await encodePhoto(source, make);
    expect(out.width).toBe(2048);
    expect(out.height).toBe(1536);
    expect(out.blob.size).toBe(350_000);
    expect(made.map((m) => [m.width, m.height, m.qualities])).toEqual([
      [2048, 1536, [0.7]],
      [320, 240, [0.6]],
    ]);
  });

  it('lowers the quality until a busy photo fits the byte target', async () => {
    const { made, make } = fakeSurfaces((q, w) => (w === 2048 ? Math.round(q * 900_000) : 10_000));
    const out = await encodePhoto(source, make);
    expect(made[0]!.qualities).toEqual([0.7, 0.6, 0.5]);
    expect(out.blob.size).toBe(450_000);
    expect(out.width).toBe(2048);
  });

  it('falls back to 1600 px for a photo too busy to fit at 2048 px', async () => {
    const { made, make } = fakeSurfaces((q, w) =>
      w === 2048 ? 900_000 : w === 1600 ? Math.round(q * 900_000) : 10_000,
    );
    const out = await encodePhoto(source, make);
    expect(made.map((m) => [m.width, m.qualities])).toEqual([
      [2048, [0.7, 0.6, 0.5]],
      [1600, [0.6, 0.5]],
      [320, [0.6]],
    ]);
    expect(out).toMatchObject({ width: 1600, height: 1200 });
    expect(out.blob.size).toBeLessThanOrEqual(PHOTO_TARGET_BYTES);
  });
});

describe('EXIF of gallery photos', () => {
  const read = async (file: string) =>
    toMetadata(await exifr.parse(fs.readFileSync(path.join(PHOTOS_DIR, file)), EXIF_OPTIONS), new Date());

  it("reads the Pixel photo's GPS position and date", async () => {
    const m = await read('IMG_20180725_163423.jpg');
    expect(m.gps?.lat).toBeCloseTo(50.2996, 4);
    expect(m.gps?.lon).toBeCloseTo(14.8203, 4);
    expect(m.gps?.accuracy).toBe(30);
    expect(m.takenAt?.getFullYear()).toBe(2018);
  });

  it('finds nothing, without throwing, in photos without GPS or with broken EXIF', async () => {
    for (const f of [
      'noexif.jpg',
      'RangeError_Invalid_typed_array_length.jpg',
      'RangeError_Offset_outside_bounds.jpg',
    ]) {
      const raw = await exifr
        .parse(fs.readFileSync(path.join(PHOTOS_DIR, f)), EXIF_OPTIONS)
        .catch(() => null);
      expect(toMetadata(raw, new Date()).gps).toBeNull();
    }
  });

  it('refuses 0,0, out-of-range positions and dates in the future', () => {
    const now = new Date('2025-01-06T08:00:00Z');
    expect(toMetadata({ latitude: 0, longitude: 0 }, now).gps).toBeNull();
    expect(toMetadata({ latitude: 95, longitude: 2 }, now).gps).toBeNull();
    expect(toMetadata({ latitude: 47.7, longitude: -2.65, GPSHPositioningError: 6.5 }, now).gps).toEqual({
      lat: 47.7,
      lon: -2.65,
      accuracy: 6.5,
    });
    expect(toMetadata({ DateTimeOriginal: new Date('2030-01-01') }, now).takenAt).toBeNull();
    expect(toMetadata(null, now)).toEqual({ gps: null, takenAt: null });
  });
});
