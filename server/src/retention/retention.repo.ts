import type { Queryable } from '../db';
import { ANONYMISED_DECIMALS } from '../contract/privacy';
import { EVENT_DATA_KEPT, STREET_NUMBER } from './retention.rules';

/**
 * SQL of the retention job. Each function works on a batch of report ids chosen (and locked)
 * by the select functions, inside the caller's transaction.
 */

/**
 * Closed reports of a commune due for the contact step that still hold contact data (the
 * address, the language, an unsubscription, email rows or unsubscribe tokens), by id after
 * `afterId`, locked.
 */
export async function selectContactBatch(
  db: Queryable,
  communeId: number,
  before: Date,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id FROM reports r
      WHERE r.commune_id = $1 AND r.closed_at IS NOT NULL AND r.closed_at <= $2
        AND ($3::uuid IS NULL OR r.id > $3)
        AND (r.contact_email IS NOT NULL OR r.contact_locale IS NOT NULL OR r.notifications_stopped_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM email_outbox o WHERE o.report_id = r.id)
             OR EXISTS (SELECT 1 FROM email_unsubscribe_tokens t WHERE t.report_id = r.id))
      ORDER BY r.id LIMIT $4
      FOR UPDATE OF r`,
    [communeId, before, afterId, limit],
  );
  return rows.map((r) => r.id);
}

/** Closed reports of a commune due for the location step and not anonymised yet, by id, locked. */
export async function selectLocationBatch(
  db: Queryable,
  communeId: number,
  before: Date,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id FROM reports r
      WHERE r.commune_id = $1 AND r.closed_at IS NOT NULL AND r.closed_at <= $2 AND r.anonymised_at IS NULL
        AND ($3::uuid IS NULL OR r.id > $3)
      ORDER BY r.id LIMIT $4
      FOR UPDATE OF r`,
    [communeId, before, afterId, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Rounds the reports' locations (ANONYMISED_DECIMALS decimals; the stated accuracy becomes at
 * least 100 m), reduces their address to the street, clears the resident's description, the
 * public text and the reason, and unlinks them from the device (a random token hash that no
 * device holds) and from their content fingerprint. Returns how many reports changed.
 */
export async function anonymiseReports(db: Queryable, ids: readonly string[], at: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE reports
        SET location = ST_SetSRID(ST_MakePoint(round(ST_X(location::geometry)::numeric, $3),
                                               round(ST_Y(location::geometry)::numeric, $3)), 4326)::geography,
            accuracy_m = greatest(accuracy_m, 100),
            address = nullif(regexp_replace(address, $4, '', 'i'), ''),
            description = NULL, public_description = NULL, status_reason = NULL,
            reporter_token_hash = sha256(convert_to(gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')),
            content_hash = sha256(convert_to(gen_random_uuid()::text, 'UTF8')),
            anonymised_at = $2
      WHERE id = ANY($1::uuid[]) AND anonymised_at IS NULL`,
    [ids, at, ANONYMISED_DECIMALS, STREET_NUMBER.source],
  );
  return rowCount ?? 0;
}

/**
 * Removes the free texts and old locations from the reports' history: only EVENT_DATA_KEPT
 * keys stay, and the entry is marked {"redacted": true}. The narrow exception of the
 * append-only trigger (migration 1795557708000) allows exactly this, in this transaction only.
 * Returns how many entries changed.
 */
export async function redactEvents(db: Queryable, ids: readonly string[]): Promise<number> {
  await db.query(`SELECT set_config('vigie.retention_redaction', 'on', true)`);
  const { rowCount } = await db.query(
    `UPDATE report_events e
        SET data = coalesce((SELECT jsonb_object_agg(k, v) FROM jsonb_each(e.data) AS x(k, v) WHERE k = ANY($2::text[])),
                            '{}'::jsonb) || '{"redacted": true}'::jsonb
      WHERE e.report_id = ANY($1::uuid[])
        AND EXISTS (SELECT 1 FROM jsonb_object_keys(e.data) AS k WHERE k <> 'redacted' AND k <> ALL($2::text[]))`,
    [ids, EVENT_DATA_KEPT],
  );
  await db.query(`SELECT set_config('vigie.retention_redaction', 'off', true)`);
  return rowCount ?? 0;
}

/** Deletes the reports' photo rows; returns the files they pointed at (originals and redacted renditions). */
export async function deletePhotos(
  db: Queryable,
  ids: readonly string[],
): Promise<{ rows: number; shas: string[] }> {
  const { rows } = await db.query<{ sha256: string; redacted_sha256: string | null }>(
    'DELETE FROM photos WHERE report_id = ANY($1::uuid[]) RETURNING sha256, redacted_sha256',
    [ids],
  );
  const shas = new Set<string>();
  for (const r of rows) {
    shas.add(r.sha256);
    if (r.redacted_sha256) shas.add(r.redacted_sha256);
  }
  return { rows: rows.length, shas: [...shas] };
}

/** Clears the crews' notes and after-photos on the reports' plan stops; returns the after-photo files. */
export async function clearStops(
  db: Queryable,
  ids: readonly string[],
): Promise<{ rows: number; shas: string[] }> {
  const { rows } = await db.query<{ after_photo_sha256: string | null }>(
    `WITH old AS (
       SELECT plan_id, report_id, after_photo_sha256 FROM plan_stops
        WHERE report_id = ANY($1::uuid[]) AND (note IS NOT NULL OR after_photo_sha256 IS NOT NULL)
        FOR UPDATE),
     upd AS (
       UPDATE plan_stops s SET note = NULL, after_photo_sha256 = NULL
         FROM old WHERE s.plan_id = old.plan_id AND s.report_id = old.report_id
       RETURNING 1)
     SELECT old.after_photo_sha256 FROM old`,
    [ids],
  );
  return {
    rows: rows.length,
    shas: [...new Set(rows.map((r) => r.after_photo_sha256).filter((s): s is string => !!s))],
  };
}

/** Takes a job's lease when nobody holds it (or its holder's lease ended); true when taken. */
export async function acquireLease(
  db: Queryable,
  name: string,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO job_leases (name, holder, locked_until)
     VALUES ($1, $2, $3::timestamptz + make_interval(secs => $4::double precision / 1000))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, locked_until = EXCLUDED.locked_until
      WHERE job_leases.locked_until IS NULL OR job_leases.locked_until <= $3`,
    [name, holder, now, leaseMs],
  );
  return rowCount === 1;
}

/** Extends a held lease; false when it was lost (another instance took it after it ended). */
export async function renewLease(
  db: Queryable,
  name: string,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE job_leases SET locked_until = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
      WHERE name = $1 AND holder = $2`,
    [name, holder, now, leaseMs],
  );
  return rowCount === 1;
}

/** Gives a lease back; with `finishedAt`, records that the job ran to the end then. */
export async function releaseLease(
  db: Queryable,
  name: string,
  holder: string,
  finishedAt: Date | null,
): Promise<void> {
  await db.query(
    `UPDATE job_leases SET holder = NULL, locked_until = NULL,
            last_finished_at = coalesce($3, last_finished_at)
      WHERE name = $1 AND holder = $2`,
    [name, holder, finishedAt],
  );
}

/** When a job last ran to the end (undefined: never). */
export async function lastFinished(db: Queryable, name: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ last_finished_at: Date | null }>(
    'SELECT last_finished_at FROM job_leases WHERE name = $1',
    [name],
  );
  return rows[0]?.last_finished_at ?? undefined;
}
