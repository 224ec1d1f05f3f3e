import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * The wire protocol as `pg` sees it, on the suite's database (embedded PGlite behind
 * pglite-socket, or the real server in CI): a failed statement inside a transaction followed
 * by its ROLLBACK must leave the connection answering the next query with its own rows. On
 * the embedded database this failed one time in a few before the ReadyForQuery fix.
 */
let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 3 });
});
afterAll(async () => {
  await pool.end();
});

describe('wire protocol after errors', () => {
  it('answers each query with its own reply after failed statements and rollbacks, under concurrency', async () => {
    const loop = async (worker: number) => {
      for (let i = 0; i < 40; i++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await expect(client.query('SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
          await client.query('ROLLBACK');
          await expect(client.query('SELEC $1::int', [1])).rejects.toThrow(/syntax error/);
          const { rows } = await client.query('SELECT $1::int AS n, $2::int AS w', [i, worker]);
          expect(rows).toEqual([{ n: i, w: worker }]);
        } finally {
          client.release();
        }
      }
    };
    await Promise.all([loop(1), loop(2), loop(3)]);
  });
});
