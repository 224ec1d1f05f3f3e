import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { insertAudit, type AuditEntry } from '../audit/audit.repo';
import type { PhotoStore } from '../photos/photos.store';
import { eraseContact, listCommunePrivacy, type CommunePrivacy } from '../privacy/privacy.repo';
import { referencedShas } from '../reports/reports.repo';
import * as repo from './retention.repo';
import { retentionCutoffs, type RetentionCutoffs } from './retention.rules';

/** What a retention run removed (or, dry, would remove), for one commune or summed. */
export interface RetentionCounts {
  /** Reports whose contact data (address, language, unsubscription) was removed. */
  contactsErased: number;
  /** Email rows deleted (queued, failed or sent). */
  emailsDeleted: number;
  /** Unsubscribe tokens deleted. */
  tokensDeleted: number;
  /** Reports whose location was rounded and texts cleared. */
  reportsAnonymised: number;
  /** History entries whose free texts were redacted. */
  eventsRedacted: number;
  /** Photo rows deleted. */
  photosDeleted: number;
  /** Plan stops whose crew note or after-photo was removed. */
  stopsCleared: number;
  /** Photo files deleted from the uploads directory (no row points at them any more). */
  filesDeleted: number;
}

/** A run's result for one commune. */
export interface CommuneRun {
  commune: { id: number; slug: string };
  cutoffs: RetentionCutoffs;
  counts: RetentionCounts;
}

/** What the job needs (side effects passed in: clock, files, database). */
export interface RetentionDeps {
  pool: Pool;
  photos: Pick<PhotoStore, 'remove'>;
  now?: () => Date;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Reports per batch (one transaction each in a real run). */
  batchSize?: number;
  /** Stops a real run between two batches (server shutdown); what was committed stays. */
  signal?: AbortSignal;
}

/** How a run is asked for. */
export interface RetentionOptions {
  /** Only this commune (by slug); all communes when absent. */
  commune?: string;
  /** Count only: everything is done in a transaction that is rolled back, files are kept. */
  dryRun: boolean;
  /** Who runs it, for the audit log (the scheduler: 'system'; the CLI: 'cli'). */
  actorKind: Extract<AuditEntry['actorKind'], 'system' | 'cli'>;
}

/** The retention job's lease name (one instance at a time). */
export const RETENTION_JOB = 'retention';
/** How long a run may hold the lease between two batches. */
export const RETENTION_LEASE_MS = 30 * 60_000;

/** A run is already going on elsewhere (another server instance, or the CLI). */
export class RetentionBusyError extends Error {
  constructor() {
    super('a retention run is already in progress; try again later');
  }
}

export const zeroCounts = (): RetentionCounts => ({
  contactsErased: 0,
  emailsDeleted: 0,
  tokensDeleted: 0,
  reportsAnonymised: 0,
  eventsRedacted: 0,
  photosDeleted: 0,
  stopsCleared: 0,
  filesDeleted: 0,
});

/** Sums per-commune counts. */
export function totalCounts(runs: readonly CommuneRun[]): RetentionCounts {
  const total = zeroCounts();
  for (const r of runs)
    for (const k of Object.keys(total) as Array<keyof RetentionCounts>) total[k] += r.counts[k];
  return total;
}

/** One batch's work, inside its transaction; returns the photo files the batch freed. */
type Batch = (tx: PoolClient) => Promise<{ done: boolean; freed: string[] }>;

/**
 * Runs the retention rules on every commune (or one): first the contact step, then the
 * location step, in batches of reports. A real run commits each batch and then deletes the
 * files nothing references any more; a dry run does exactly the same work in one transaction
 * that it rolls back, so its counts are the real run's (on a database nobody changes in
 * between). Each commune's run is written to the audit log with its counts, dry or not. Only
 * one run at a time, across server instances and the CLI (a lease row).
 */
export async function runRetention(deps: RetentionDeps, opts: RetentionOptions): Promise<CommuneRun[]> {
  const now = deps.now ?? (() => new Date());
  const holder = crypto.randomUUID();
  if (!(await repo.acquireLease(deps.pool, RETENTION_JOB, holder, now(), RETENTION_LEASE_MS)))
    throw new RetentionBusyError();
  let finished = false;
  try {
    const all = await listCommunePrivacy(deps.pool);
    const communes = opts.commune ? all.filter((c) => c.slug === opts.commune) : all;
    const runs: CommuneRun[] = [];
    for (const c of communes) {
      runs.push(await runCommune(deps, c, opts, now(), holder));
      if (!(await repo.renewLease(deps.pool, RETENTION_JOB, holder, now(), RETENTION_LEASE_MS)))
        throw new RetentionBusyError();
    }
    finished = !opts.dryRun && !opts.commune;
    return runs;
  } finally {
    // Only a complete real run counts as the day's run (a dry run or one commune does not).
    await repo.releaseLease(deps.pool, RETENTION_JOB, holder, finished ? now() : null);
  }
}

async function runCommune(
  deps: RetentionDeps,
  c: CommunePrivacy,
  opts: RetentionOptions,
  at: Date,
  holder: string,
): Promise<CommuneRun> {
  const size = deps.batchSize ?? 200;
  const cutoffs = retentionCutoffs(
    { contactMonths: c.contactRetentionMonths, locationYears: c.locationRetentionYears },
    at,
  );
  const counts = zeroCounts();

  const contactBatches = (): Batch => {
    let after: string | null = null;
    return async (tx) => {
      const ids = await repo.selectContactBatch(tx, c.id, cutoffs.contactBefore, after, size);
      if (ids.length === 0) return { done: true, freed: [] };
      after = ids[ids.length - 1]!;
      const erased = await eraseContact(tx, ids);
      counts.contactsErased += erased.contactsRemoved;
      counts.emailsDeleted += erased.emailsCancelled + erased.emailsDeleted;
      counts.tokensDeleted += erased.tokensDeleted;
      return { done: ids.length < size, freed: [] };
    };
  };
  const locationBatches = (): Batch => {
    let after: string | null = null;
    return async (tx) => {
      const ids = await repo.selectLocationBatch(tx, c.id, cutoffs.locationBefore, after, size);
      if (ids.length === 0) return { done: true, freed: [] };
      after = ids[ids.length - 1]!;
      counts.reportsAnonymised += await repo.anonymiseReports(tx, ids, at);
      counts.eventsRedacted += await repo.redactEvents(tx, ids);
      const photos = await repo.deletePhotos(tx, ids);
      const stops = await repo.clearStops(tx, ids);
      counts.photosDeleted += photos.rows;
      counts.stopsCleared += stops.rows;
      const candidates = [...new Set([...photos.shas, ...stops.shas])];
      const still = candidates.length ? await referencedShas(tx, candidates) : new Set<string>();
      const freed = candidates.filter((s) => !still.has(s));
      counts.filesDeleted += freed.length;
      return { done: ids.length < size, freed };
    };
  };

  const steps = [contactBatches(), locationBatches()];
  try {
    await runBatches(deps, steps, opts.dryRun, holder);
  } catch (err) {
    await audit(deps, c, opts, cutoffs, counts, 'failure');
    throw err;
  }
  await audit(deps, c, opts, cutoffs, counts, 'success');
  deps.log?.info({ commune: c.slug, dryRun: opts.dryRun, ...counts }, 'retention run');
  return { commune: { id: c.id, slug: c.slug }, cutoffs, counts };
}

/** A run stopped between two batches (server shutdown). */
export class RetentionStoppedError extends Error {
  constructor() {
    super('the retention run was stopped; it goes on at the next run');
  }
}

async function runBatches(
  deps: RetentionDeps,
  steps: Batch[],
  dryRun: boolean,
  holder: string,
): Promise<void> {
  if (dryRun) {
    const client = await deps.pool.connect();
    try {
      await client.query('BEGIN');
      for (const step of steps) while (!(await step(client)).done);
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  } else {
    for (const step of steps) {
      for (;;) {
        const client = await deps.pool.connect();
        let result: { done: boolean; freed: string[] };
        try {
          await client.query('BEGIN');
          result = await step(client);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
        // Rows first, files after: a crash in between leaves unreferenced files for the orphan sweep.
        for (const sha of result.freed) await deps.photos.remove(sha);
        if (result.done) break;
        if (deps.signal?.aborted) throw new RetentionStoppedError();
        const now = deps.now?.() ?? new Date();
        if (!(await repo.renewLease(deps.pool, RETENTION_JOB, holder, now, RETENTION_LEASE_MS)))
          throw new RetentionBusyError();
      }
    }
  }
}

async function audit(
  deps: RetentionDeps,
  c: CommunePrivacy,
  opts: RetentionOptions,
  cutoffs: RetentionCutoffs,
  counts: RetentionCounts,
  outcome: 'success' | 'failure',
): Promise<void> {
  await insertAudit(deps.pool, {
    actorKind: opts.actorKind,
    actorUserId: null,
    communeId: c.id,
    action: 'retention_run',
    outcome,
    objectType: 'commune',
    objectId: c.slug,
    data: {
      dryRun: opts.dryRun,
      counts,
      contactBefore: cutoffs.contactBefore.toISOString(),
      locationBefore: cutoffs.locationBefore.toISOString(),
      contactRetentionMonths: c.contactRetentionMonths,
      locationRetentionYears: c.locationRetentionYears,
    },
  });
}
