import type { Logger } from 'pino';
import * as repo from './retention.repo';
import {
  RETENTION_JOB,
  RetentionBusyError,
  RetentionStoppedError,
  runRetention,
  totalCounts,
  type RetentionDeps,
} from './retention.service';

/** How often the scheduler looks whether the day's run is due. */
export const RETENTION_CHECK_MS = 60 * 60_000;
/** A run is due when the last complete one finished longer ago than this (daily, give or take the check). */
export const RETENTION_EVERY_MS = 23 * 60 * 60_000;

/**
 * Runs the retention job once a day, on one server instance: every instance looks each hour,
 * the first to find the last complete run older than 23 hours takes the job's lease and runs
 * it, the others find the lease taken (or the run recent) and wait for the next day.
 */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: RetentionDeps & { log: Pick<Logger, 'info' | 'warn' | 'error'> },
    private readonly firstCheckMs = 60_000,
    private readonly checkEveryMs = RETENTION_CHECK_MS,
  ) {}

  /** Runs the job if the day's run is due; true when it ran. */
  async tick(): Promise<boolean> {
    const now = this.deps.now ?? (() => new Date());
    const last = await repo.lastFinished(this.deps.pool, RETENTION_JOB);
    if (last && now().getTime() - last.getTime() < RETENTION_EVERY_MS) return false;
    try {
      const runs = await runRetention(
        { ...this.deps, signal: this.abort.signal },
        { dryRun: false, actorKind: 'system' },
      );
      this.deps.log.info({ communes: runs.length, ...totalCounts(runs) }, 'daily retention run done');
      return true;
    } catch (err) {
      if (err instanceof RetentionBusyError || err instanceof RetentionStoppedError) return false;
      throw err;
    }
  }

  /** Starts the daily schedule (first look shortly after start-up). */
  start(): void {
    this.stopped = false;
    this.schedule(this.firstCheckMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.log.error({ err }, 'retention run failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.checkEveryMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a run in progress (its batches are committed one by one). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    clearTimeout(this.timer);
    await this.running;
  }
}
