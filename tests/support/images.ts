import zlib from 'node:zlib';
import sharp from 'sharp';

/**
 * A "lottapixel" PNG: a valid 1x1 image whose header claims `width` x `height`. A few hundred
 * bytes that would take gigabytes to decode: what a pixel-flood attack sends.
 */
export async function pixelFloodPng(width = 30_000, height = 30_000): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
      .png()
      .toBuffer(),
  );
  // IHDR is the first chunk: 8-byte signature, 4-byte length, 'IHDR', then width and height.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
  return png;
}
