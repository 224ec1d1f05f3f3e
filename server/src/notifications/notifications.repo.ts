import type { Queryable } from '../db';
import type { ContactLocale } from '../contract/privacy';

/** A queued email a worker has claimed (its lease is `claimId` until `lockedUntil`). */
export interface ClaimedEmail {
  id: string;
  eventId: string;
  reportId: string;
  /** Attempts including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due emails for one worker: rows locked by another worker's claim are
 * skipped (FOR UPDATE SKIP LOCKED) and rows leased by another worker are not due, so several
 * workers on several server instances never take the same row. The lease lets a worker that
 * died lose its rows: they are due again when it ends.
 */
export async function claimDue(
  db: Queryable,
  claimId: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedEmail[]> {
  const { rows } = await db.query<{ id: string; event_id: string; report_id: string; attempts: number }>(
    `UPDATE email_outbox o
        SET attempts = o.attempts + 1, claim_id = $1,
            locked_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
      WHERE o.id IN (SELECT id FROM email_outbox
                      WHERE status = 'queued' AND next_attempt_at <= $2
                        AND (locked_until IS NULL OR locked_until <= $2)
                      ORDER BY next_attempt_at, id
                      LIMIT $4
                      FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.event_id, o.report_id, o.attempts`,
    [claimId, now, leaseMs, limit],
  );
  return rows
    .map((r) => ({
      id: String(r.id),
      eventId: String(r.event_id),
      reportId: r.report_id,
      attempts: r.attempts,
    }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** What a claimed email's history entry and report say (undefined: nothing to send any more). */
export interface EmailSource {
  action: string;
  toStatus: string | null;
  data: Record<string, unknown>;
  contactEmail: string;
  contactLocale: ContactLocale | null;
  /** The recipient's report (its address, category and date are the ones the email names). */
  reportId: string;
  /** The report the history entry is about: another one when it is the kept report of the recipient's duplicate. */
  eventReportId: string;
  receivedAt: Date;
  address: string | null;
  statusReason: string | null;
  categoryFr: string;
  categoryEn: string;
  commune: { name: string; slug: string; timezone: string };
}

/**
 * The facts of a claimed email, or undefined when the resident erased their contact or
 * unsubscribed since it was queued.
 */
export async function findEmailSource(db: Queryable, outboxId: string): Promise<EmailSource | undefined> {
  const { rows } = await db.query<{
    action: string;
    to_status: string | null;
    data: Record<string, unknown>;
    contact_email: string;
    contact_locale: ContactLocale | null;
    report_id: string;
    event_report_id: string;
    received_at: Date;
    address: string | null;
    status_reason: string | null;
    label_fr: string;
    label_en: string;
    commune_name: string;
    commune_slug: string;
    timezone: string;
  }>(
    `SELECT e.action, e.to_status, e.data, r.contact_email, r.contact_locale, r.id AS report_id, e.report_id AS event_report_id, r.received_at,
            r.address, r.status_reason, ca.label_fr, ca.label_en,
            co.name AS commune_name, co.slug AS commune_slug, co.timezone
       FROM email_outbox o
       JOIN report_events e ON e.id = o.event_id
       JOIN reports r ON r.id = o.report_id
       JOIN categories ca ON ca.id = r.category_id
       JOIN communes co ON co.id = r.commune_id
      WHERE o.id = $1 AND r.contact_email IS NOT NULL AND r.notifications_stopped_at IS NULL`,
    [outboxId],
  );
  const r = rows[0];
  return (
    r && {
      action: r.action,
      toStatus: r.to_status,
      data: r.data,
      contactEmail: r.contact_email,
      contactLocale: r.contact_locale,
      reportId: r.report_id,
      eventReportId: r.event_report_id,
      receivedAt: r.received_at,
      address: r.address,
      statusReason: r.status_reason,
      categoryFr: r.label_fr,
      categoryEn: r.label_en,
      commune: { name: r.commune_name, slug: r.commune_slug, timezone: r.timezone },
    }
  );
}

/** Keeps the sha256 of an unsubscribe token before the email carrying it leaves. */
export async function insertUnsubscribeToken(
  db: Queryable,
  tokenHash: Buffer,
  reportId: string,
): Promise<void> {
  await db.query('INSERT INTO email_unsubscribe_tokens (token_hash, report_id) VALUES ($1, $2)', [
    tokenHash,
    reportId,
  ]);
}

/** Marks a claimed email sent (the SMTP server accepted it); false when the lease was lost. */
export async function markSent(db: Queryable, id: string, claimId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET status = 'sent', sent_at = $3, locked_until = NULL, last_error = NULL
      WHERE id = $1 AND claim_id = $2 AND status = 'queued'`,
    [id, claimId, at],
  );
  return rowCount === 1;
}

/** Puts a claimed email back in the queue, due at `next`, with the error that stopped it. */
export async function reschedule(
  db: Queryable,
  id: string,
  claimId: string,
  next: Date,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE email_outbox SET next_attempt_at = $3, locked_until = NULL, last_error = $4
      WHERE id = $1 AND claim_id = $2 AND status = 'queued'`,
    [id, claimId, next, error],
  );
}

/** Gives up on a claimed email the SMTP server refused for good (5xx). */
export async function markFailed(db: Queryable, id: string, claimId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE email_outbox SET status = 'failed', locked_until = NULL, last_error = $3
      WHERE id = $1 AND claim_id = $2 AND status = 'queued'`,
    [id, claimId, error],
  );
}

/** Drops a claimed email that has nobody to go to any more (contact erased, unsubscribed). */
export async function dropClaimed(db: Queryable, id: string, claimId: string): Promise<void> {
  await db.query(`DELETE FROM email_outbox WHERE id = $1 AND claim_id = $2 AND status = 'queued'`, [
    id,
    claimId,
  ]);
}

/** Gives a claimed email back to the queue untried (the worker is stopping). */
export async function releaseClaim(db: Queryable, id: string, claimId: string): Promise<void> {
  await db.query(
    `UPDATE email_outbox SET locked_until = NULL, attempts = greatest(attempts - 1, 0)
      WHERE id = $1 AND claim_id = $2 AND status = 'queued'`,
    [id, claimId],
  );
}

/**
 * Ends every lease at once. Only for the embedded database at start-up, where this process is
 * the only one (DATA_DIR is locked), so any lease belongs to a process that died.
 */
export async function releaseAllLeases(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET locked_until = NULL WHERE status = 'queued' AND locked_until IS NOT NULL`,
  );
  return rowCount ?? 0;
}

/** How many emails are queued, sent and failed (start-up message, CLI). */
export async function queueCounts(db: Queryable): Promise<{ queued: number; sent: number; failed: number }> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM email_outbox GROUP BY status',
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return { queued: by.queued ?? 0, sent: by.sent ?? 0, failed: by.failed ?? 0 };
}

/** The report an unsubscribe token was made for, with what its pages show. */
export interface UnsubscribeTarget {
  reportId: string;
  communeId: number;
  communeName: string;
  categoryFr: string;
  categoryEn: string;
  locale: ContactLocale | null;
  /** Already unsubscribed (or nothing left to send to). */
  stopped: boolean;
}

/** The report of an unsubscribe token (by its hash), or undefined for an unknown token. */
export async function findUnsubscribeTarget(
  db: Queryable,
  tokenHash: Buffer,
  lock = false,
): Promise<UnsubscribeTarget | undefined> {
  const { rows } = await db.query<{
    id: string;
    commune_id: number;
    commune_name: string;
    label_fr: string;
    label_en: string;
    contact_locale: ContactLocale | null;
    stopped: boolean;
  }>(
    `SELECT r.id, r.commune_id, co.name AS commune_name, ca.label_fr, ca.label_en, r.contact_locale,
            (r.notifications_stopped_at IS NOT NULL OR r.contact_email IS NULL) AS stopped
       FROM email_unsubscribe_tokens t
       JOIN reports r ON r.id = t.report_id
       JOIN communes co ON co.id = r.commune_id
       JOIN categories ca ON ca.id = r.category_id
      WHERE t.token_hash = $1
      ${lock ? 'FOR UPDATE OF r' : ''}`,
    [tokenHash],
  );
  const r = rows[0];
  return (
    r && {
      reportId: r.id,
      communeId: r.commune_id,
      communeName: r.commune_name,
      categoryFr: r.label_fr,
      categoryEn: r.label_en,
      locale: r.contact_locale,
      stopped: r.stopped,
    }
  );
}

/**
 * Stops a report's emails: no email is queued for it any more and those waiting are dropped
 * (sent ones stay until the contact data goes). Returns the number of emails dropped.
 */
export async function stopNotifications(db: Queryable, reportId: string, at: Date): Promise<number> {
  await db.query(
    `UPDATE reports SET notifications_stopped_at = $2 WHERE id = $1 AND notifications_stopped_at IS NULL`,
    [reportId, at],
  );
  const { rowCount } = await db.query(`DELETE FROM email_outbox WHERE report_id = $1 AND status <> 'sent'`, [
    reportId,
  ]);
  return rowCount ?? 0;
}
