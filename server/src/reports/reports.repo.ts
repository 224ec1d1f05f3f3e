import type { Queryable } from '../db';
import type { LocationSource, Priority, ReportStatus } from '../contract/common';
import type { PhotoView, PublicReport, ReportEventView } from '../contract/reports';
import { CLOSED_STATUSES } from '../contract/workflow';
import type { ContactLocale } from '../contract/privacy';

/** What moderation and the workflow keep on a report besides its public fields (never public as such). */
export interface ReportModeration {
  /** Hidden from every public view. */
  hidden: boolean;
  /** The moderated text the public sees; null: the public sees `description`. */
  publicDescription: string | null;
  statusReason: string | null;
  duplicateOf: string | null;
  closedAt: string | null;
  /** The commune shows moderated photos publicly. */
  photosPublic: boolean;
}

/**
 * A report as read for its views, with its keyset position. `description` is the resident's
 * original; public views show `moderation.publicDescription` instead when there is one.
 */
export interface ReportRow extends PublicReport {
  /** received_at with full (microsecond) precision, for keyset cursors. */
  cursorAt: string;
  contactEmail: string | null;
  moderation: ReportModeration;
}

/** A report row as SELECT_REPORT returns it. */
export interface ReportDbRow {
  id: string;
  commune_id: number;
  commune_slug: string;
  commune_name: string;
  category_code: string;
  label_fr: string;
  label_en: string;
  lat: number;
  lon: number;
  accuracy_m: number;
  location_source: LocationSource;
  status: ReportStatus;
  priority: Priority;
  description: string | null;
  captured_at: Date;
  received_at: Date;
  updated_at: Date;
  photo_count: number;
  cursor_at: string;
  contact_email: string | null;
  address: string | null;
  hidden: boolean;
  public_description: string | null;
  status_reason: string | null;
  duplicate_of: string | null;
  closed_at: Date | null;
  photos_public: boolean;
  public_photos: Array<{ n: number; width: number; height: number; sha: string }>;
}

/**
 * The columns every report view reads (public fields, contact, photo count, moderation state,
 * the publicly visible photos, keyset position). Public photos are looked up only where the
 * commune shows photos at all, so lists of other communes pay nothing for them.
 */
export const SELECT_REPORT = `
  SELECT r.id, r.commune_id, co.slug AS commune_slug, co.name AS commune_name,
         ca.code AS category_code, ca.label_fr, ca.label_en,
         ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon,
         r.accuracy_m, r.location_source, r.status, r.priority, r.description,
         r.captured_at, r.received_at, r.updated_at, r.contact_email, r.address,
         r.hidden, r.public_description, r.status_reason, r.duplicate_of, r.closed_at, co.photos_public,
         CASE WHEN co.photos_public AND NOT r.hidden THEN
           (SELECT coalesce(json_agg(json_build_object('n', p.position, 'width', p.width, 'height', p.height,
                                                       'sha', coalesce(p.redacted_sha256, p.sha256))
                                     ORDER BY p.position), '[]'::json)
              FROM photos p WHERE p.report_id = r.id AND p.moderated_at IS NOT NULL AND NOT p.hidden)
         ELSE '[]'::json END AS public_photos,
         (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photo_count,
         to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
    FROM reports r
    JOIN communes co ON co.id = r.commune_id
    JOIN categories ca ON ca.id = r.category_id`;

/** Maps a SELECT_REPORT row. */
export function toReport(r: ReportDbRow): ReportRow {
  return {
    id: r.id,
    commune: { id: r.commune_id, slug: r.commune_slug, name: r.commune_name },
    category: { code: r.category_code, labelFr: r.label_fr, labelEn: r.label_en },
    lat: r.lat,
    lon: r.lon,
    accuracy: r.accuracy_m,
    locationSource: r.location_source,
    status: r.status,
    priority: r.priority,
    description: r.description,
    capturedAt: r.captured_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    photoCount: r.photo_count,
    address: r.address,
    publicPhotos: r.public_photos.map((p) => photoView(r.id, p)),
    cursorAt: r.cursor_at,
    contactEmail: r.contact_email,
    moderation: {
      hidden: r.hidden,
      publicDescription: r.public_description,
      statusReason: r.status_reason,
      duplicateOf: r.duplicate_of,
      closedAt: r.closed_at?.toISOString() ?? null,
      photosPublic: r.photos_public,
    },
  };
}

/** Characters of the served file's hash in photo URLs: enough to change with every redaction. */
const VERSION_CHARS = 12;

/**
 * The authorised URLs of a report's photo (the route decides what it serves to whom). They
 * carry the served rendition's version (`sha`: the redacted file's hash, else the original's),
 * so a redaction changes them and no browser keeps showing what was redacted.
 */
export function photoView(
  reportId: string,
  p: { n: number; width: number; height: number; sha: string },
): PhotoView {
  const v = p.sha.slice(0, VERSION_CHARS);
  return {
    n: p.n,
    width: p.width,
    height: p.height,
    url: `/api/reports/${reportId}/photos/${p.n}?v=${v}`,
    thumbUrl: `/api/reports/${reportId}/photos/${p.n}?size=thumb&v=${v}`,
  };
}

/** One report with its commune and category, or undefined. */
export async function findReport(db: Queryable, id: string): Promise<ReportRow | undefined> {
  const { rows } = await db.query<ReportDbRow>(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
  return rows[0] && toReport(rows[0]);
}

/** What tells a retry from a conflict, and who owns the report. */
export interface ReportOwnership {
  contentHash: Buffer;
  reporterTokenHash: Buffer;
}

/** The stored fingerprint and owner of a report, or undefined when the id is new. */
export async function findOwnership(db: Queryable, id: string): Promise<ReportOwnership | undefined> {
  const { rows } = await db.query<{ content_hash: Buffer; reporter_token_hash: Buffer }>(
    'SELECT content_hash, reporter_token_hash FROM reports WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r && { contentHash: r.content_hash, reporterTokenHash: r.reporter_token_hash };
}

/** A new report, as inserted. */
export interface NewReport {
  id: string;
  communeId: number;
  categoryId: number;
  lat: number;
  lon: number;
  accuracy: number;
  locationSource: LocationSource;
  description: string | null;
  priority: Priority;
  capturedAt: string;
  reporterTokenHash: Buffer;
  contactEmail: string | null;
  contentHash: Buffer;
  /** Defaults to 'new' (the demo seed backdates and advances some reports). */
  status?: ReportStatus;
  /** Defaults to now(). */
  receivedAt?: string;
  /** Label of the nearest address (see addresses.repo nearestAddress), or null. */
  address?: string | null;
  /** When a report inserted in a closed status was closed (the demo seed); defaults to receivedAt. */
  closedAt?: string;
  /** Where it came from: the resident app (the default) or an Open311 client. */
  source?: ReportSource;
  /** The resident's language for notification emails (kept only with a contact email). */
  contactLocale?: ContactLocale | null;
}

/** Where a report came from. */
export type ReportSource = 'app' | 'open311';

/** The INSERT of a report ($1-$20, see `insertArgs`), skipped when the id exists. */
const INSERT_REPORT = `
  INSERT INTO reports (id, commune_id, category_id, location, accuracy_m, location_source, description,
                       priority, captured_at, reporter_token_hash, contact_email, content_hash,
                       status, received_at, updated_at, address, closed_at, source, contact_locale)
  VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326)::geography, $6, $7, $8, $9, $10, $11, $12, $13,
          $14, coalesce($15::timestamptz, now()), coalesce($15::timestamptz, now()), $16,
          CASE WHEN $14 = ANY($18::text[]) THEN coalesce($17::timestamptz, $15::timestamptz, now()) END, $19,
          CASE WHEN $12::text IS NOT NULL THEN $20::text END)
  ON CONFLICT (id) DO NOTHING`;

function insertArgs(r: NewReport): unknown[] {
  return [
    r.id,
    r.communeId,
    r.categoryId,
    r.lon,
    r.lat,
    r.accuracy,
    r.locationSource,
    r.description,
    r.priority,
    r.capturedAt,
    r.reporterTokenHash,
    r.contactEmail,
    r.contentHash,
    r.status ?? 'new',
    r.receivedAt ?? null,
    r.address ?? null,
    r.closedAt ?? null,
    CLOSED_STATUSES,
    r.source ?? 'app',
    r.contactLocale ?? null,
  ];
}

/** Inserts a report unless its id exists; true when this call inserted it. */
export async function insertReport(db: Queryable, r: NewReport): Promise<boolean> {
  const { rowCount } = await db.query(INSERT_REPORT, insertArgs(r));
  return rowCount === 1;
}

/**
 * Inserts a new report with its photos and its first history entry in one statement: atomic
 * without a transaction's extra round trips (BEGIN, COMMIT), which the upload path would pay
 * on every report. Nothing is written when the id exists (a concurrent request with the same
 * id won the race); true when this call inserted it.
 */
export async function insertReportWithPhotos(
  db: Queryable,
  r: NewReport,
  photos: readonly PhotoRow[],
  event: Omit<NewEvent, 'reportId' | 'communeId' | 'at'>,
): Promise<boolean> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `WITH r AS (${INSERT_REPORT} RETURNING id, commune_id),
     p AS (
       INSERT INTO photos (report_id, position, sha256, width, height, bytes)
       SELECT r.id, x.position, x.sha256, x.width, x.height, x.bytes
         FROM r, jsonb_to_recordset($21::jsonb) AS x(position int, sha256 text, width int, height int, bytes int)),
     e AS (
       INSERT INTO report_events (report_id, commune_id, actor_kind, actor_id, action, from_status, to_status, data, public)
       SELECT r.id, r.commune_id, $22, $23, $24, $25, $26, $27::jsonb, $28 FROM r
       RETURNING commune_id)
     -- NOTIFY wakes live streams on every server instance at commit (see insertEvent).
     SELECT count(pg_notify('vigie_events', e.commune_id::text)) > 0 AS inserted FROM e`,
    [
      ...insertArgs(r),
      JSON.stringify(photos),
      event.actorKind,
      event.actorId,
      event.action,
      event.fromStatus,
      event.toStatus,
      JSON.stringify(event.data ?? {}),
      event.public ?? true,
    ],
  );
  return rows[0]?.inserted === true;
}

/** A stored photo's facts. */
export interface PhotoRow {
  position: number;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
}

/** A photo with its moderation state. `sha256` is the original (the redacted file itself once the original is deleted). */
export interface ModeratedPhotoRow extends PhotoRow {
  hidden: boolean;
  redactedSha256: string | null;
  moderatedAt: string | null;
}

/** Inserts the photo rows of a report. */
export async function insertPhotos(
  db: Queryable,
  reportId: string,
  photos: readonly PhotoRow[],
): Promise<void> {
  await db.query(
    `INSERT INTO photos (report_id, position, sha256, width, height, bytes)
     SELECT $1, p.position, p.sha256, p.width, p.height, p.bytes
       FROM jsonb_to_recordset($2::jsonb) AS p(position int, sha256 text, width int, height int, bytes int)`,
    [reportId, JSON.stringify(photos)],
  );
}

interface ModeratedPhotoDbRow extends PhotoRow {
  hidden: boolean;
  redacted_sha256: string | null;
  moderated_at: Date | null;
}

const toModeratedPhoto = (r: ModeratedPhotoDbRow): ModeratedPhotoRow => ({
  position: r.position,
  sha256: r.sha256,
  width: r.width,
  height: r.height,
  bytes: r.bytes,
  hidden: r.hidden,
  redactedSha256: r.redacted_sha256,
  moderatedAt: r.moderated_at?.toISOString() ?? null,
});

/** The photos of a report, in order, with their moderation state. */
export async function listPhotos(db: Queryable, reportId: string): Promise<ModeratedPhotoRow[]> {
  const { rows } = await db.query<ModeratedPhotoDbRow>(
    `SELECT position, sha256, width, height, bytes, hidden, redacted_sha256, moderated_at
       FROM photos WHERE report_id = $1 ORDER BY position`,
    [reportId],
  );
  return rows.map(toModeratedPhoto);
}

/** A photo with what its authorisation needs: owner, commune, and the public photo rule's facts. */
export interface PhotoAccessRow extends ModeratedPhotoRow {
  reporterTokenHash: Buffer;
  communeId: number;
  reportHidden: boolean;
  communePhotosPublic: boolean;
}

/** One photo of a report with the owner's token hash and moderation facts, for authorisation. */
export async function findPhoto(
  db: Queryable,
  reportId: string,
  position: number,
): Promise<PhotoAccessRow | undefined> {
  const { rows } = await db.query<
    ModeratedPhotoDbRow & {
      reporter_token_hash: Buffer;
      commune_id: number;
      report_hidden: boolean;
      photos_public: boolean;
    }
  >(
    `SELECT p.position, p.sha256, p.width, p.height, p.bytes, p.hidden, p.redacted_sha256, p.moderated_at,
            r.reporter_token_hash, r.commune_id, r.hidden AS report_hidden, co.photos_public
       FROM photos p JOIN reports r ON r.id = p.report_id JOIN communes co ON co.id = r.commune_id
      WHERE p.report_id = $1 AND p.position = $2`,
    [reportId, position],
  );
  const r = rows[0];
  return (
    r && {
      ...toModeratedPhoto(r),
      reporterTokenHash: r.reporter_token_hash,
      communeId: r.commune_id,
      reportHidden: r.report_hidden,
      communePhotosPublic: r.photos_public,
    }
  );
}

/**
 * Which of these file hashes a photo (its original or its redacted rendition) or a crew's
 * after-photo still references (for the orphan sweep and for deleting a moderated original).
 */
export async function referencedShas(db: Queryable, shas: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ sha256: string }>(
    `SELECT sha256 FROM photos WHERE sha256 = ANY($1::text[])
     UNION SELECT redacted_sha256 FROM photos WHERE redacted_sha256 = ANY($1::text[])
     UNION SELECT after_photo_sha256 FROM plan_stops WHERE after_photo_sha256 = ANY($1::text[])`,
    [shas],
  );
  return new Set(rows.map((r) => r.sha256));
}

/** An entry of a report's history. */
export interface NewEvent {
  reportId: string;
  communeId: number;
  actorKind: 'reporter' | 'staff' | 'system';
  actorId: string | null;
  action: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  data?: Record<string, unknown>;
  public?: boolean;
  /** Defaults to now(). */
  at?: string;
}

/** Appends to a report's history. */
export async function insertEvent(db: Queryable, e: NewEvent): Promise<void> {
  await db.query(
    // NOTIFY wakes live streams on every server instance at commit (a hint: the table is the truth).
    `WITH e AS (
       INSERT INTO report_events (report_id, commune_id, actor_kind, actor_id, action, from_status, to_status, data, public, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, coalesce($10::timestamptz, now()))
       RETURNING commune_id)
     SELECT pg_notify('vigie_events', commune_id::text) FROM e`,
    [
      e.reportId,
      e.communeId,
      e.actorKind,
      e.actorId,
      e.action,
      e.fromStatus,
      e.toStatus,
      JSON.stringify(e.data ?? {}),
      e.public ?? true,
      e.at ?? null,
    ],
  );
}

/**
 * The public part of a report's history, oldest first. Only two things of an entry's data ever
 * leave: the text of a public update and the reason of a closure (both written for the
 * resident); notes and everything else in `data` stay internal.
 */
export async function listPublicEvents(db: Queryable, reportId: string): Promise<ReportEventView[]> {
  const { rows } = await db.query<{
    at: Date;
    action: string;
    from_status: ReportStatus | null;
    to_status: ReportStatus | null;
    text: string | null;
    reason: string | null;
  }>(
    `SELECT at, action, from_status, to_status,
            CASE WHEN action = 'public_update' THEN data->>'text' END AS text,
            CASE WHEN to_status = ANY($2::text[]) AND to_status IS DISTINCT FROM from_status
                 THEN data->>'reason' END AS reason
       FROM report_events
      WHERE report_id = $1 AND public ORDER BY id`,
    [reportId, CLOSED_STATUSES],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    text: r.text,
    reason: r.reason,
  }));
}

/** Filters of the public list. */
export interface ListFilter {
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  statuses?: ReportStatus[];
  category?: string;
  limit: number;
  after?: { at: string; id: string };
}

/**
 * Bboxes up to this many square degrees (about 25 km x 20 km in France) are answered spatial
 * first: a map viewport holds a few hundred reports, found by the GiST index then sorted.
 * Left to itself the planner walks the received_at index and filters row by row (52 ms instead
 * of 3 ms at 100,000 reports); for a country-wide bbox that walk is the better plan.
 */
const SPATIAL_FIRST_MAX_DEG2 = 0.05;

/** A page of reports, newest first, by keyset (received_at, id). Fetches limit + 1 to know if more follow. */
export async function listReports(db: Queryable, f: ListFilter): Promise<ReportRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  let from = '';
  if (f.bbox) {
    const envelope = `ST_MakeEnvelope(${arg(f.bbox.minLon)}, ${arg(f.bbox.minLat)}, ${arg(f.bbox.maxLon)}, ${arg(f.bbox.maxLat)}, 4326)`;
    const area = (f.bbox.maxLon - f.bbox.minLon) * (f.bbox.maxLat - f.bbox.minLat);
    if (area <= SPATIAL_FIRST_MAX_DEG2) {
      from = `WITH box AS MATERIALIZED (SELECT id FROM reports WHERE location::geometry && ${envelope})`;
      where.push('r.id IN (SELECT id FROM box)');
    } else {
      where.push(`r.location::geometry && ${envelope}`);
    }
  }
  // Hidden by a moderator: in no public list.
  where.push('NOT r.hidden');
  if (f.statuses) where.push(`r.status = ANY(${arg(f.statuses)}::text[])`);
  if (f.category) where.push(`ca.code = ${arg(f.category)}`);
  if (f.after)
    where.push(`(r.received_at, r.id) < (${arg(f.after.at)}::timestamptz, ${arg(f.after.id)}::uuid)`);
  const sql = `${from} ${SELECT_REPORT} WHERE ${where.join(' AND ')}
    ORDER BY r.received_at DESC, r.id DESC LIMIT ${arg(f.limit + 1)}`;
  const { rows } = await db.query<ReportDbRow>(sql, args);
  return rows.map(toReport);
}

/** Open reports within `radius` metres of a point, nearest first (never hidden ones: the hint is public). */
export async function listNearbyOpen(
  db: Queryable,
  lat: number,
  lon: number,
  radius: number,
  category: string | undefined,
  openStatuses: readonly ReportStatus[],
): Promise<Array<ReportRow & { distanceMetres: number }>> {
  const { rows } = await db.query<ReportDbRow & { distance: number }>(
    `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS g)
     SELECT q.*, ST_Distance(q.location, here.g) AS distance FROM (
       ${SELECT_REPORT.replace('SELECT r.id,', 'SELECT r.location, r.id,')}
     ) q, here
     WHERE ST_DWithin(q.location, here.g, $3)
       AND NOT q.hidden
       AND q.status = ANY($4::text[])
       AND ($5::text IS NULL OR q.category_code = $5)
     ORDER BY distance LIMIT 20`,
    [lon, lat, radius, openStatuses, category ?? null],
  );
  return rows.map((r) => ({ ...toReport(r), distanceMetres: Math.round(r.distance * 10) / 10 }));
}

/** Reports sent from one device (by the hash of its token), newest first. */
export async function listByReporter(db: Queryable, tokenHash: Buffer, limit: number): Promise<ReportRow[]> {
  const { rows } = await db.query<ReportDbRow>(
    `${SELECT_REPORT} WHERE r.reporter_token_hash = $1 ORDER BY r.received_at DESC, r.id DESC LIMIT $2`,
    [tokenHash, limit],
  );
  return rows.map(toReport);
}
