import fs from 'node:fs';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors';

/**
 * Streams an authorised photo file: private caching with an ETag (304 when unchanged), and the
 * same 404 as a missing photo when the row exists but the file is gone.
 */
export async function sendPhotoFile(
  req: Request,
  res: Response,
  file: { path: string; etag: string },
  vary: string,
): Promise<void> {
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', file.etag);
  res.setHeader('Vary', vary);
  if (req.get('if-none-match') === file.etag) {
    res.status(304).end();
    return;
  }
  const stream = fs.createReadStream(file.path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => {
      res.setHeader('Content-Type', 'image/jpeg');
      stream.pipe(res);
      stream.once('end', resolve);
    });
    stream.once('error', (err) => {
      if (!res.headersSent) reject(NotFoundError('photo_not_found', 'Photo not found.'));
      else reject(err);
    });
  });
}
