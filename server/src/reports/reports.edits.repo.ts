import type { Priority, ReportStatus } from '../contract/common';
import type { Queryable } from '../db';

/**
 * SQL of the town hall's edits of a report (category, priority, location), of merges, and of
 * moderation (hiding, public text, photos). Authorisation and rules are the services' job.
 */

/** A report's editable state, locked for an edit. */
export interface EditableRow {
  status: ReportStatus;
  communeId: number;
  categoryCode: string;
  categoryDefaultPriority: Priority;
  priority: Priority;
  lat: number;
  lon: number;
  address: string | null;
}

/** Locks a report's row (inside a transaction) and returns what an edit changes, or undefined. */
export async function lockEditable(db: Queryable, id: string): Promise<EditableRow | undefined> {
  const { rows } = await db.query<{
    status: ReportStatus;
    commune_id: number;
    code: string;
    default_priority: Priority;
    priority: Priority;
    lat: number;
    lon: number;
    address: string | null;
  }>(
    `SELECT r.status, r.commune_id, ca.code, ca.default_priority, r.priority,
            ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon, r.address
       FROM reports r JOIN categories ca ON ca.id = r.category_id
      WHERE r.id = $1 FOR UPDATE OF r`,
    [id],
  );
  const r = rows[0];
  return (
    r && {
      status: r.status,
      communeId: r.commune_id,
      categoryCode: r.code,
      categoryDefaultPriority: r.default_priority,
      priority: r.priority,
      lat: r.lat,
      lon: r.lon,
      address: r.address,
    }
  );
}

/** What an edit writes; absent fields are left as they are. */
export interface AppliedEdit {
  categoryId?: number;
  priority?: Priority;
  /** The new place, placed by hand (location_source becomes `manual`), with its new address label. */
  location?: { lat: number; lon: number; address: string | null };
}

/** Writes an edit of category, priority and/or location. */
export async function applyEdit(db: Queryable, id: string, e: AppliedEdit): Promise<void> {
  await db.query(
    `UPDATE reports
        SET category_id = coalesce($2, category_id),
            priority = coalesce($3, priority),
            location = CASE WHEN $4::float8 IS NULL THEN location
                            ELSE ST_SetSRID(ST_MakePoint($5, $4), 4326)::geography END,
            location_source = CASE WHEN $4::float8 IS NULL THEN location_source ELSE 'manual' END,
            address = CASE WHEN $4::float8 IS NULL THEN address ELSE $6 END,
            updated_at = now()
      WHERE id = $1`,
    [
      id,
      e.categoryId ?? null,
      e.priority ?? null,
      e.location?.lat ?? null,
      e.location?.lon ?? null,
      e.location?.address ?? null,
    ],
  );
}

/** The reports marked as duplicates of a kept one, oldest first. */
export async function listDuplicateIds(db: Queryable, keptId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM reports WHERE duplicate_of = $1 ORDER BY received_at, id',
    [keptId],
  );
  return rows.map((r) => r.id);
}

/** The communes of some reports (missing ones are absent from the map). */
export async function reportCommunes(db: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; commune_id: number }>(
    'SELECT id, commune_id FROM reports WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.commune_id]));
}

/** A report's moderation state, locked for a change. */
export interface ModerationRow {
  communeId: number;
  status: ReportStatus;
  hidden: boolean;
  description: string | null;
  publicDescription: string | null;
}

/** Locks a report's row (inside a transaction) and returns its moderation state, or undefined. */
export async function lockModeration(db: Queryable, id: string): Promise<ModerationRow | undefined> {
  const { rows } = await db.query<{
    commune_id: number;
    status: ReportStatus;
    hidden: boolean;
    description: string | null;
    public_description: string | null;
  }>(
    `SELECT commune_id, status, hidden, description, public_description FROM reports WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const r = rows[0];
  return (
    r && {
      communeId: r.commune_id,
      status: r.status,
      hidden: r.hidden,
      description: r.description,
      publicDescription: r.public_description,
    }
  );
}

/** Writes a report's moderation state (both fields; the caller passes the current value of the one it keeps). */
export async function setReportModeration(
  db: Queryable,
  id: string,
  m: { hidden: boolean; publicDescription: string | null },
): Promise<void> {
  await db.query(
    'UPDATE reports SET hidden = $2, public_description = $3, updated_at = now() WHERE id = $1',
    [id, m.hidden, m.publicDescription],
  );
}

/** A photo's moderation state, locked for a change. */
export interface PhotoModerationRow {
  sha256: string;
  redactedSha256: string | null;
  width: number;
  height: number;
  bytes: number;
  hidden: boolean;
  moderatedAt: Date | null;
}

/** Locks one photo row (inside a transaction) and returns its moderation state, or undefined. */
export async function lockPhoto(
  db: Queryable,
  reportId: string,
  n: number,
): Promise<PhotoModerationRow | undefined> {
  const { rows } = await db.query<{
    sha256: string;
    redacted_sha256: string | null;
    width: number;
    height: number;
    bytes: number;
    hidden: boolean;
    moderated_at: Date | null;
  }>(
    `SELECT sha256, redacted_sha256, width, height, bytes, hidden, moderated_at
       FROM photos WHERE report_id = $1 AND position = $2 FOR UPDATE`,
    [reportId, n],
  );
  const r = rows[0];
  return (
    r && {
      sha256: r.sha256,
      redactedSha256: r.redacted_sha256,
      width: r.width,
      height: r.height,
      bytes: r.bytes,
      hidden: r.hidden,
      moderatedAt: r.moderated_at,
    }
  );
}

/** Hides or shows a photo, approves it (moderated_at = now) or withdraws the approval. */
export async function setPhotoFlags(
  db: Queryable,
  reportId: string,
  n: number,
  f: { hidden?: boolean | undefined; approved?: boolean | undefined },
): Promise<void> {
  await db.query(
    `UPDATE photos
        SET hidden = coalesce($3, hidden),
            moderated_at = CASE WHEN $4::boolean IS NULL THEN moderated_at
                                WHEN $4 THEN coalesce(moderated_at, now()) END
      WHERE report_id = $1 AND position = $2`,
    [reportId, n, f.hidden ?? null, f.approved ?? null],
  );
}

/**
 * Points a photo row at its files: `sha256` the original (or the redacted file once the
 * original is deleted) with its size in bytes, `redactedSha256` the rendition served.
 */
export async function setPhotoFiles(
  db: Queryable,
  reportId: string,
  n: number,
  f: { sha256: string; redactedSha256: string | null; bytes: number },
): Promise<void> {
  await db.query(
    'UPDATE photos SET sha256 = $3, redacted_sha256 = $4, bytes = $5 WHERE report_id = $1 AND position = $2',
    [reportId, n, f.sha256, f.redactedSha256, f.bytes],
  );
}
