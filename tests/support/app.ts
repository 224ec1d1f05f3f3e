import type { Server } from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createApp } from '../../server/src/app';
import { PhotoStore } from '../../server/src/photos/photos.store';

/** A real Vigie HTTP server on a free port, on the integration database. */
export interface TestServer {
  url: string;
  pool: pg.Pool;
  photos: PhotoStore;
  uploadsDir: string;
  close(): Promise<void>;
}

/** Starts the app in-process on the test database, with its own uploads directory. */
export async function startTestServer(): Promise<TestServer> {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-uploads-'));
  const photos = new PhotoStore(uploadsDir);
  const app = createApp({
    config: {
      clientDist: path.join(uploadsDir, 'no-client'),
      tileUrl: 'https://tile.example.org/{z}/{x}/{y}.png',
      trustProxyHops: 0,
    },
    pool,
    photos,
    log: pino({ level: process.env.VIGIE_TEST_LOG ?? 'silent' }),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    photos,
    uploadsDir,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await pool.end();
      fs.rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}
