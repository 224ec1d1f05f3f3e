import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { retryDelayMs, describeSmtpError, isPermanentSmtpError } from './notifications.backoff';
import { composeEmail, emailKind, type EmailFacts, type MailSettings } from './notifications.compose';
import type { MailSender } from './notifications.mailer';
import * as repo from './notifications.repo';

/** What the worker needs from the outside world (all passed in, so tests can fake the clock). */
export interface MailWorkerDeps {
  pool: Pool;
  sender: MailSender;
  settings: MailSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Wall clock (due dates, leases). */
  now?: () => Date;
  /** The backoff's jitter, in [0, 1) (tokens use crypto's randomness, never this). */
  random?: () => number;
  /** Emails claimed per round. */
  batchSize?: number;
  /**
   * How long a claim lasts. A worker that dies loses its rows when it ends; a live one finishes
   * far sooner (SMTP timeouts below a minute or two), so two workers never hold one row.
   */
  leaseMs?: number;
  /** How often the queue is looked at when nothing wakes the worker. */
  pollMs?: number;
}

/** What one round did. */
export interface RoundResult {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

/** The default lease: 5 minutes, several times the longest SMTP delivery allowed. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/** A raw unsubscribe token (32 random bytes, base64url) and the sha256 that is kept. */
export function newUnsubscribeToken(): { token: string; hash: Buffer } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashUnsubscribeToken(token) };
}

/** sha256 of an unsubscribe token. */
export function hashUnsubscribeToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}

/** The facts of an email from what the database holds. */
function factsFrom(
  source: repo.EmailSource,
  claimed: repo.ClaimedEmail,
  token: string,
): EmailFacts | undefined {
  const kind = emailKind(source.action, source.toStatus);
  if (!kind) return undefined;
  const forDuplicate = source.eventReportId !== source.reportId;
  const text = (k: string) => {
    const v = source.data[k];
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  return {
    eventId: claimed.eventId,
    kind,
    locale: source.contactLocale ?? 'fr',
    to: source.contactEmail,
    commune: source.commune,
    report: {
      id: source.reportId,
      category: { fr: source.categoryFr, en: source.categoryEn },
      address: source.address,
      receivedAt: source.receivedAt,
    },
    reason: text('reason'),
    text: text('text'),
    // A duplicate's reporter told about the report kept in its place is pointed to that one.
    keptReportId: forDuplicate ? source.eventReportId : text('duplicateOf'),
    forDuplicate,
    unsubscribeToken: token,
  };
}

/**
 * Sends the notification emails queued in PostgreSQL. Each round claims due rows (with a
 * lease), sends them one by one and marks each sent only after the SMTP server accepted it; a
 * failure puts the row back with exponential backoff (5xx: given up, kept as failed). A crash
 * between the SMTP server's acceptance and the mark means the email is sent again later, with
 * the same Message-ID (at least once, never lost).
 */
export class MailWorker {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private halting = false;

  constructor(private readonly deps: MailWorkerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.batchSize = deps.batchSize ?? 20;
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = deps.pollMs ?? 30_000;
  }

  /** One round: claims due emails and sends them. */
  async runOnce(): Promise<RoundResult> {
    const result: RoundResult = { sent: 0, retried: 0, failed: 0, dropped: 0 };
    const claimId = crypto.randomUUID();
    const claimed = await repo.claimDue(this.deps.pool, claimId, this.now(), this.leaseMs, this.batchSize);
    for (const c of claimed) {
      // Stopping (SIGTERM): the emails not tried yet go back to the queue at once.
      if (this.halting) await repo.releaseClaim(this.deps.pool, c.id, claimId);
      else await this.sendOne(c, claimId, result);
    }
    return result;
  }

  private async sendOne(c: repo.ClaimedEmail, claimId: string, result: RoundResult): Promise<void> {
    const { pool, sender, settings, log } = this.deps;
    const source = await repo.findEmailSource(pool, c.id);
    const { token, hash } = newUnsubscribeToken();
    const facts = source && factsFrom(source, c, token);
    if (!source || !facts) {
      await repo.dropClaimed(pool, c.id, claimId);
      result.dropped++;
      return;
    }
    // The token's hash is committed before the email leaves: its link works whatever happens next.
    await repo.insertUnsubscribeToken(pool, hash, source.reportId);
    try {
      await sender.send(composeEmail(facts, settings));
    } catch (err) {
      const error = describeSmtpError(err);
      if (isPermanentSmtpError(err)) {
        await repo.markFailed(pool, c.id, claimId, error);
        result.failed++;
        log.warn({ email: c.id, error }, 'notification email refused for good');
      } else {
        const next = new Date(this.now().getTime() + retryDelayMs(c.attempts, this.random));
        await repo.reschedule(pool, c.id, claimId, next, error);
        result.retried++;
        log.warn(
          { email: c.id, attempts: c.attempts, next, error },
          'notification email not sent, will retry',
        );
      }
      return;
    }
    if (await repo.markSent(pool, c.id, claimId, this.now())) result.sent++;
    else log.warn({ email: c.id }, 'notification email sent after its lease ended');
  }

  /** Starts the loop: a round now, then every pollMs or when woken. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Looks at the queue now (a history entry was just written). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const r = await this.runOnce();
          if (r.sent || r.retried || r.failed) this.deps.log.info(r, 'notification emails');
        } catch (err) {
          this.deps.log.error({ err }, 'notification round failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (!this.stopped) {
        this.timer = setTimeout(() => this.wake(), this.pollMs);
        this.timer.unref();
      }
    });
  }

  /** Stops the loop and waits for the round in progress (its emails are sent or retried later). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.deps.sender.close();
  }
}
