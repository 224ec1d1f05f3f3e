import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { AppError } from '../../../server/src/errors';

/** Real camera and phone files (see the folder's README.md), shared by every worktree. */
export const FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/photos');

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** Runs `fn` and returns the AppError it throws; fails the test if it resolves or throws anything else. */
export async function appErrorOf(fn: () => Promise<unknown>): Promise<AppError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  if (thrown === undefined) throw new Error('expected an AppError, but the call succeeded');
  if (!(thrown instanceof AppError)) throw new Error(`expected an AppError, got: ${String(thrown)}`);
  return thrown;
}

/**
 * The JPEG markers before the image data (SOI..SOS), e.g. 0xe0 for APP0/JFIF, 0xe1 for
 * APP1/Exif or XMP, 0xed for APP13/IPTC, 0xe2 for APP2/ICC. Metadata can only live there.
 */
export function jpegHeaderMarkers(jpeg: Buffer): number[] {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const markers: number[] = [];
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error(`bad JPEG segment at ${i}`);
    const marker = jpeg[i + 1]!;
    markers.push(marker);
    if (marker === 0xda) break; // SOS: entropy-coded data follows
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return markers;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid single-colour (black) 1-bit greyscale PNG of any size, built by hand: a 20000x20000
 * one is 400 MP of pixels in a few tens of KB (a "pixel flood"), and is made in well under a
 * second, where encoding it with sharp takes about 20 s.
 */
export function blankPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 + zero bits per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the dimensions in a baseline JPEG's SOF0 header, leaving the tiny image data as it is. */
export function withJpegDimensions(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  let i = 2;
  while (i + 9 <= out.length) {
    const marker = out[i + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + out.readUInt16BE(i + 2);
  }
  throw new Error('no SOF0/SOF2 segment');
}
