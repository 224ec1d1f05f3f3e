import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sendStream } from '../../../server/src/http/stream';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A real HTTP server answering one route with sendStream over `body`. */
async function serve(body: () => AsyncIterable<string>, onDone: (err: unknown) => void = () => {}) {
  const app = express();
  app.get('/file', async (_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    await sendStream(res, body()).then(
      () => onDone(undefined),
      (err: unknown) => onDone(err),
    );
  });
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
}

describe('sendStream', () => {
  it('sends every chunk, in order, and ends the response', async () => {
    const url = await serve(async function* () {
      for (let i = 0; i < 100; i++) yield `line ${i}\n`;
    });
    const text = await (await fetch(url)).text();
    expect(text.split('\n')).toHaveLength(101);
    expect(text.startsWith('line 0\nline 1\n')).toBe(true);
  });

  it('cuts the connection when the source fails after the first byte, so no file looks complete', async () => {
    let serverError: unknown;
    const url = await serve(
      async function* () {
        yield 'id;status\r\n';
        yield 'a;new\r\n';
        throw new Error('database went away');
      },
      (err) => (serverError = err),
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(String(serverError)).toContain('database went away');
  });

  it('stops reading the source when the client goes away', async () => {
    let produced = 0;
    let finished = false;
    let resolveDone: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const url = await serve(
      async function* () {
        try {
          for (;;) {
            produced++;
            yield 'x'.repeat(64 * 1024);
            await new Promise((r) => setTimeout(r, 1));
          }
        } finally {
          finished = true;
        }
      },
      () => resolveDone(),
    );
    await new Promise<void>((resolve) => {
      const req = http.get(url, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
    });
    await done;
    // The generator is closed at its next step (its `finally` runs: exports audit there).
    await expect.poll(() => finished).toBe(true);
    // Backpressure: far fewer chunks than an unbounded producer would have made by now.
    expect(produced).toBeLessThan(200);
  });
});
