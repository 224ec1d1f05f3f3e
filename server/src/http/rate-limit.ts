import crypto from 'node:crypto';
import type { Queryable } from '../db';
import { RateLimitError } from '../errors';
import * as repo from './rate-limits.repo';

/** A limit: at most `max` hits per `windowSeconds` for one key of one bucket. */
export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

function keyHash(bucket: string, key: string): Buffer {
  return crypto.createHash('sha256').update(`${bucket}\0${key}`, 'utf8').digest();
}

/**
 * Counts a hit against a limit and throws a 429 with Retry-After (the end of the window) once
 * the limit is passed. State lives in PostgreSQL, shared by every API instance.
 */
export async function consume(db: Queryable, limit: Limit, key: string): Promise<void> {
  const { hits, secondsLeft } = await repo.hit(
    db,
    limit.bucket,
    keyHash(limit.bucket, key),
    limit.windowSeconds,
  );
  if (hits > limit.max) throw RateLimitError(secondsLeft);
}

/**
 * Counts a hit against several limits sharing one window length, in one round trip; throws a
 * 429 when any is passed (Retry-After: the longest wait among them).
 */
export async function consumeAll(
  db: Queryable,
  checks: ReadonlyArray<{ limit: Limit; key: string }>,
): Promise<void> {
  const windowSeconds = checks[0]?.limit.windowSeconds;
  if (windowSeconds === undefined) return;
  if (checks.some((c) => c.limit.windowSeconds !== windowSeconds))
    throw new Error('consumeAll: the limits must share one window length');
  const counts = await repo.hitAll(
    db,
    checks.map((c) => ({ bucket: c.limit.bucket, keyHash: keyHash(c.limit.bucket, c.key) })),
    windowSeconds,
  );
  const over = counts.filter((n, i) => n.hits > checks[i]!.limit.max);
  if (over.length > 0) throw RateLimitError(Math.max(...over.map((n) => n.secondsLeft)));
}

/** Forgets a key's hits in a bucket. */
export async function forget(db: Queryable, bucket: string, key: string): Promise<void> {
  await repo.reset(db, bucket, keyHash(bucket, key));
}

/** Deletes ended windows (anything older than a day: longer than any window). */
export function sweepRateLimits(db: Queryable): Promise<number> {
  return repo.sweep(db, 86_400);
}
