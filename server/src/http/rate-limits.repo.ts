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
