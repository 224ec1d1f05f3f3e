import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startEmbedded, type EmbeddedDb } from '../../server/src/db/embedded';
import { migrate, MIGRATIONS_DIR } from '../../server/src/db/migrate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fingerprint of the migrations and the PGlite versions: a template is reused only for the same schema. */
function templateKey(): string {
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(MIGRATIONS_DIR).sort())
    h.update(f).update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis'])
    h.update(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json')));
  return h.digest('hex').slice(0, 16);
}

/**
 * An embedded database in `dir`, migrated and empty. A fresh PGlite spends most of its start in
 * initdb and CREATE EXTENSION postgis (about 17 s here); the first run keeps a copy of the
 * migrated, cleanly stopped data directory under node_modules/.cache, and later runs (the next
 * test project, the next `npm test`) start from that copy in a few seconds.
 */
export async function startFromTemplate(
  dir: string,
  log: { info(...args: unknown[]): void },
): Promise<EmbeddedDb> {
  const template = path.join(ROOT, 'node_modules', '.cache', 'vigie', `pgdata-${templateKey()}`);
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) {
    fs.cpSync(template, path.join(dir, 'pgdata'), { recursive: true });
    const db = await startEmbedded(dir);
    await migrate(db.url, log); // applies nothing: the key covers every migration
    return db;
  }
  const first = await startEmbedded(dir);
  await migrate(first.url, log);
  await first.stop();
  const partial = `${template}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(template), { recursive: true });
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(path.join(dir, 'pgdata'), partial, { recursive: true });
  // Published whole or not at all (another run may be doing the same).
  try {
    fs.renameSync(partial, template);
  } catch {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return startEmbedded(dir);
}

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
  const db = await startFromTemplate(dir, quiet);
  project.provide('databaseUrl', db.url);
  return async () => {
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
