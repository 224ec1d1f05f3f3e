import pg from 'pg';
import type { Config } from '../config';
import { openDatabase } from '../db';
import { DataDirLockedError, publishedUrl } from '../db/embedded';
import { migrate } from '../db/migrate';

/** A database connection for the command-line tool, and how it was reached. */
export interface CliDatabase {
  pool: pg.Pool;
  /** 'url': DATABASE_URL; 'socket': a running server's embedded database; 'embedded': opened here. */
  via: 'url' | 'socket' | 'embedded';
  close(): Promise<void>;
}

const quiet = { info: () => {} };

async function tryPublished(dataDir: string): Promise<pg.Pool | undefined> {
  const url = publishedUrl(dataDir);
  if (!url) return undefined;
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch {
    // A URL left behind by a server that was killed: nobody listens there any more.
    await pool.end().catch(() => {});
    return undefined;
  }
}

/**
 * Connects the CLI to the configured database without ever opening an embedded DATA_DIR twice:
 * - DATABASE_URL: connects there (and applies pending migrations, like the server);
 * - a running server publishes its embedded database's socket (DATA_DIR/run/url): connects to it;
 * - otherwise opens DATA_DIR itself, under its lock, as the server would. If a server is just
 *   starting (it holds the lock but has not published its socket yet), waits for the socket.
 */
export async function openCliDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  waitMs = 60_000,
): Promise<CliDatabase> {
  if (config.databaseUrl) {
    await migrate(config.databaseUrl, quiet);
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
    pool.on('error', () => {});
    return { pool, via: 'url', close: () => pool.end() };
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const published = await tryPublished(config.dataDir);
    if (published) return { pool: published, via: 'socket', close: () => published.end() };
    try {
      const db = await openDatabase({ databaseUrl: undefined, dataDir: config.dataDir }, quiet);
      return { pool: db.pool, via: 'embedded', close: () => db.close() };
    } catch (err) {
      if (!(err instanceof DataDirLockedError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
