import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { processPhoto } from '../../../server/src/photos/photos.processing';
import { redactPhoto } from '../../../server/src/photos/photos.redaction';
import { appErrorOf, fixture, jpegHeaderMarkers } from './helpers';

async function rgbAt(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('redactPhoto', () => {
  it('paints the rectangles over, keeps the size, re-encodes without metadata and makes a redacted thumbnail', async () => {
    const stored = await processPhoto(fixture('noexif.jpg'), 'photos[0]');
    const rect = { x: 10, y: 20, width: Math.floor(stored.width / 2), height: Math.floor(stored.height / 2) };
    const out = await redactPhoto(stored.jpeg, [rect], 'fill');
    expect([out.width, out.height]).toEqual([stored.width, stored.height]);
    expect(out.sha256).not.toBe(stored.sha256);
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.bytes).toBe(out.jpeg.length);
    for (const v of await rgbAt(out.jpeg, rect.x + 20, rect.y + 20)) expect(v).toBeLessThan(45);
    expect(jpegHeaderMarkers(out.jpeg).filter((m) => m >= 0xe1 && m <= 0xef)).toEqual([]);
    const t = await sharp(out.thumb).metadata();
    expect([t.width, t.height]).toEqual([out.thumbWidth, out.thumbHeight]);
    const tx = Math.round(((rect.x + rect.width / 2) * out.thumbWidth) / out.width);
    const ty = Math.round(((rect.y + rect.height / 2) * out.thumbHeight) / out.height);
    for (const v of await rgbAt(out.thumb, tx, ty)) expect(v).toBeLessThan(50);
  });

  it('gives the same file for the same redaction (content-addressed, so a retry rewrites nothing)', async () => {
    const stored = await processPhoto(fixture('noexif.jpg'), 'photos[0]');
    const rect = { x: 0, y: 0, width: 50, height: 40 };
    const [a, b] = await Promise.all([
      redactPhoto(stored.jpeg, [rect], 'blur'),
      redactPhoto(stored.jpeg, [rect], 'blur'),
    ]);
    expect(a.sha256).toBe(b.sha256);
  });

  it('refuses rectangles outside the decoded image with a 422 naming the rectangle', async () => {
    const stored = await processPhoto(fixture('noexif.jpg'), 'photos[0]');
    const err = await appErrorOf(() =>
      redactPhoto(
        stored.jpeg,
        [
          { x: 0, y: 0, width: 1, height: 1 },
          { x: stored.width - 5, y: 0, width: 6, height: 1 },
        ],
        'fill',
      ),
    );
    expect([err.status, err.code, err.field]).toEqual([422, 'rectangle_out_of_bounds', 'rectangles.1']);
  });
});
