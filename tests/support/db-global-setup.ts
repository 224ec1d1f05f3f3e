import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../server/src/db/embedded';
import { migrate } from '../../server/src/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `pg` URL of the test database, migrated and empty. */
    databaseUrl: string;
  }
}

/**
 * One database for the integration run: with DATABASE_URL (CI's real PostgreSQL + PostGIS),
 * a fresh database created next to it and dropped afterwards; otherwise the embedded
 * PGlite + PostGIS in a temporary directory.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const quiet = { info: () => {} };
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `vigie_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    await migrate(url.toString(), quiet);
    project.provide('databaseUrl', url.toString());
    return async () => {
      const c = new pg.Client({ connectionString: external });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-it-'));
  const db = await startEmbedded(dir);
  await migrate(db.url, quiet);
  project.provide('databaseUrl', db.url);
  return async () => {
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
