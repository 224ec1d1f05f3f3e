import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config';
import { startEmbedded, type EmbeddedDb } from './db/embedded';
import { migrate } from './db/migrate';

/** Anything that runs a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The database Vigie talks to, always through `pg`. */
export interface Database {
  pool: pg.Pool;
  /** The `pg` URL (for tools that open their own connection). */
  url: string;
  /** True when Vigie runs its own embedded PGlite + PostGIS. */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured database: `DATABASE_URL` when set, otherwise the embedded PGlite +
 * PostGIS under DATA_DIR, started in-process. Applies pending migrations before returning.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  log: Pick<Logger, 'info'>,
): Promise<Database> {
  let embedded: EmbeddedDb | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const t0 = Date.now();
    embedded = await startEmbedded(config.dataDir);
    url = embedded.url;
    log.info({ dataDir: config.dataDir, ms: Date.now() - t0 }, 'embedded PostgreSQL + PostGIS started');
  }
  // The embedded database serialises queries anyway: a small pool is enough there.
  const pool = new pg.Pool({ connectionString: url, max: embedded ? 4 : 10 });
  pool.on('error', () => {}); // an idle client's socket dropped: the pool replaces it
  try {
    await migrate(url, log);
  } catch (err) {
    await pool.end().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }
  return {
    pool,
    url,
    embedded: Boolean(embedded),
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}

/** Runs `fn` in a transaction on one client; rolls back on any error. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
