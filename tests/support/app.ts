import type { Server } from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/src/app';
import {
  DEFAULT_OPEN311,
  DEFAULT_SECURITY,
  type Open311Config,
  type SecurityConfig,
} from '../../server/src/config';
import { PhotoStore } from '../../server/src/photos/photos.store';

/** A real Vigie HTTP server on a free port, on the integration database. */
export interface TestServer {
  url: string;
  pool: pg.Pool;
  photos: PhotoStore;
  uploadsDir: string;
  /** The Express app (to list its routes). */
  app: Express;
  close(): Promise<void>;
}

/** What a test may change in the app's configuration. */
export interface TestServerOptions {
  /** Merged over generous test defaults (the shared database accumulates counts across files). */
  security?: Partial<SecurityConfig>;
  trustProxyHops?: number;
  /** A built client to serve; none by default. */
  clientDist?: string;
  /** Clock for TOTP codes. */
  now?: () => number;
  /** Open311 posting rate and media_url limits, merged over the defaults. */
  open311?: Partial<Open311Config>;
  /** Another database than the integration one (a test that needs a deployment of its own). */
  databaseUrl?: string;
}

/**
 * Limits high enough that files sharing the database (and the address 127.0.0.1) never trip
 * them by accident; the abuse tests lower them on their own server.
 */
export const TEST_SECURITY: SecurityConfig = {
  ...DEFAULT_SECURITY,
  login: { perAccount: 1000, perIp: 100_000, windowSeconds: 900 },
  reports: { perToken: 10_000, perIp: 100_000, windowSeconds: 3600 },
};

/** Starts the app in-process on the test database, with its own uploads directory. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl ?? inject('databaseUrl'), max: 4 });
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-uploads-'));
  const photos = new PhotoStore(uploadsDir);
  const app = createApp({
    config: {
      clientDist: opts.clientDist ?? path.join(uploadsDir, 'no-client'),
      tileUrl: 'https://tile.example.org/{z}/{x}/{y}.png',
      trustProxyHops: opts.trustProxyHops ?? 0,
      security: { ...TEST_SECURITY, ...opts.security },
      open311: { ...DEFAULT_OPEN311, ...opts.open311 },
    },
    pool,
    photos,
    log: pino({ level: process.env.VIGIE_TEST_LOG ?? 'silent' }),
    ...(opts.now ? { now: opts.now } : {}),
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
    app,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await pool.end();
      fs.rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}
