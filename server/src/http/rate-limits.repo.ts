import type { Queryable } from '../db';

/**
 * Counts one hit in the current fixed window of (bucket, key) and returns the count so far and
 * the seconds left in the window. One statement: concurrent requests on any instance count
 * exactly once each.
 */
export async function hit(
  db: Queryable,
  bucket: string,
  keyHash: Buffer,
  windowSeconds: number,
): Promise<{ hits: number; secondsLeft: number }> {
  const { rows } = await db.query<{ hits: number; seconds_left: number }>(
    `INSERT INTO rate_limits AS r (bucket, key_hash, window_start, hits)
     VALUES ($1, $2, to_timestamp(floor(extract(epoch FROM now()) / $3) * $3), 1)
     ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = r.hits + 1
     RETURNING r.hits, extract(epoch FROM (r.window_start + make_interval(secs => $3) - now()))::float8 AS seconds_left`,
    [bucket, keyHash, windowSeconds],
  );
  const r = rows[0]!;
  return { hits: r.hits, secondsLeft: r.seconds_left };
}

/**
 * Counts one hit for each (bucket, key) in the current windows, in one statement (one round
 * trip for a request checked against several limits); returns the counts in the same order.
 */
export async function hitAll(
  db: Queryable,
  hits: ReadonlyArray<{ bucket: string; keyHash: Buffer }>,
  windowSeconds: number,
): Promise<Array<{ hits: number; secondsLeft: number }>> {
  const { rows } = await db.query<{ ord: number; hits: number; seconds_left: number }>(
    `WITH input AS (
       SELECT ord::int, bucket, key_hash
         FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS t(bucket, key_hash, ord)),
     counted AS (
       INSERT INTO rate_limits AS r (bucket, key_hash, window_start, hits)
       SELECT bucket, key_hash, to_timestamp(floor(extract(epoch FROM now()) / $3) * $3), 1 FROM input
       ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = r.hits + 1
       RETURNING r.bucket, r.key_hash, r.hits,
                 extract(epoch FROM (r.window_start + make_interval(secs => $3) - now()))::float8 AS seconds_left)
     SELECT i.ord, c.hits, c.seconds_left FROM input i JOIN counted c USING (bucket, key_hash) ORDER BY i.ord`,
    [hits.map((h) => h.bucket), hits.map((h) => h.keyHash), windowSeconds],
  );
  return rows.map((r) => ({ hits: r.hits, secondsLeft: r.seconds_left }));
}

/** Forgets the counts of (bucket, key), e.g. an account's failed sign-ins after a success. */
export async function reset(db: Queryable, bucket: string, keyHash: Buffer): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE bucket = $1 AND key_hash = $2', [bucket, keyHash]);
}

/** Deletes windows that started more than `olderThanSeconds` ago. */
export async function sweep(db: Queryable, olderThanSeconds: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => $1)',
    [olderThanSeconds],
  );
  return rowCount ?? 0;
}
