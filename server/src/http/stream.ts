import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/**
 * Streams a body made of text chunks to the client with backpressure: the next chunk is asked
 * for only when the socket has taken the previous ones (`stream.pipeline` waits for 'drain'
 * whenever `res.write` returns false), so memory holds a chunk or two, whatever the size.
 *
 * Failure after the first byte: the status line is gone, so the only honest signal left is to
 * cut the connection. pipeline destroys the response, the chunked body never gets its final
 * empty chunk, and the client sees a failed download rather than a file that looks complete.
 * A client that goes away simply stops the source (its `finally` blocks run).
 */
export async function sendStream(res: Response, body: AsyncIterable<string>): Promise<void> {
  // Bytes, not objects: the source is read ahead by at most one chunk past 64 KiB.
  const source = Readable.from(body, { objectMode: false, highWaterMark: 64 * 1024 });
  try {
    await pipeline(source, res);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return; // the client left
    res.destroy();
    throw err;
  }
}
