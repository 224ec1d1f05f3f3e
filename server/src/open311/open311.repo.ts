import type { ReportStatus } from '../contract/common';
import type { Queryable } from '../db';

/** A commune as an Open311 jurisdiction. */
export interface Jurisdiction {
  id: number;
  slug: string;
  name: string;
  timezone: string;
  /** Whether media_url photos are downloaded for this commune. */
  mediaFetch: boolean;
}

const SELECT_JURISDICTION = `SELECT id, slug, name, timezone, open311_media_fetch AS "mediaFetch" FROM communes`;

/** A commune by slug, or undefined. */
export async function findJurisdiction(db: Queryable, slug: string): Promise<Jurisdiction | undefined> {
  const { rows } = await db.query<Jurisdiction>(`${SELECT_JURISDICTION} WHERE slug = $1`, [slug]);
  return rows[0];
}

/** A commune by id, or undefined. */
export async function findJurisdictionById(db: Queryable, id: number): Promise<Jurisdiction | undefined> {
  const { rows } = await db.query<Jurisdiction>(`${SELECT_JURISDICTION} WHERE id = $1`, [id]);
  return rows[0];
}

/** The deployment's only commune, or undefined when there are none or several. */
export async function onlyJurisdiction(db: Queryable): Promise<Jurisdiction | undefined> {
  const { rows } = await db.query<Jurisdiction>(`${SELECT_JURISDICTION} ORDER BY id LIMIT 2`);
  return rows.length === 1 ? rows[0] : undefined;
}

/** Whether the point lies inside the commune's boundary. */
export async function communeContains(
  db: Queryable,
  communeId: number,
  lat: number,
  lon: number,
): Promise<boolean> {
  const { rows } = await db.query<{ inside: boolean }>(
    `SELECT ST_Contains(boundary::geometry, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS inside
       FROM communes WHERE id = $1`,
    [communeId, lon, lat],
  );
  return rows[0]?.inside ?? false;
}

/** Turns downloading media_url photos on or off for a commune. */
export async function setMediaFetch(db: Queryable, communeId: number, on: boolean): Promise<void> {
  await db.query('UPDATE communes SET open311_media_fetch = $2 WHERE id = $1', [communeId, on]);
}

/** An API key as listed (never the key itself: only its hash is stored). */
export interface ApiKeyRow {
  id: number;
  communeId: number;
  prefix: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const SELECT_KEY = `SELECT id, commune_id AS "communeId", prefix, label, created_at AS "createdAt",
                           last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
                      FROM open311_keys`;

/** Stores a new key's hash; returns its id. */
export async function insertKey(
  db: Queryable,
  k: { communeId: number; keyHash: Buffer; prefix: string; label: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO open311_keys (commune_id, key_hash, prefix, label) VALUES ($1, $2, $3, $4) RETURNING id`,
    [k.communeId, k.keyHash, k.prefix, k.label],
  );
  return rows[0]!.id;
}

/** The key with this hash if it is not revoked, and records that it was used. */
export async function useKey(db: Queryable, keyHash: Buffer): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    `WITH k AS (
       UPDATE open311_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL
       RETURNING id, commune_id, prefix, label, created_at, last_used_at, revoked_at)
     SELECT id, commune_id AS "communeId", prefix, label, created_at AS "createdAt",
            last_used_at AS "lastUsedAt", revoked_at AS "revokedAt" FROM k`,
    [keyHash],
  );
  return rows[0];
}

/** A commune's keys, newest first. */
export async function listKeys(db: Queryable, communeId: number): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE commune_id = $1 ORDER BY id DESC`, [
    communeId,
  ]);
  return rows;
}

/** Revokes one of a commune's keys; true when it was active until now. */
export async function revokeKey(db: Queryable, communeId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE open311_keys SET revoked_at = now() WHERE id = $1 AND commune_id = $2 AND revoked_at IS NULL',
    [id, communeId],
  );
  return rowCount === 1;
}

/** A key of the commune by id (revoked or not), or undefined. */
export async function findKey(db: Queryable, communeId: number, id: number): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE id = $1 AND commune_id = $2`, [
    id,
    communeId,
  ]);
  return rows[0];
}

/** A report as Open311 shows it: public fields only, never contact data. */
export interface RequestRow {
  id: string;
  status: ReportStatus;
  statusReason: string | null;
  duplicateOf: string | null;
  serviceCode: string;
  serviceName: string;
  /** The public text: the moderated one where the town hall edited it. */
  description: string | null;
  address: string | null;
  lat: number;
  lon: number;
  receivedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Midnight (commune time) of the day of the published round that will do it, if any. */
  expectedAt: Date | null;
  /** That day, `YYYY-MM-DD`. */
  expectedDay: string | null;
  /** Whether the first photo may be shown to the public. */
  photoPublic: boolean;
}

/**
 * Hidden reports never leave this query. The first photo is public when the commune shows
 * photos to the public, a moderator has looked at it and it is not hidden (the report itself
 * is not hidden either: see the WHERE clause).
 */
const SELECT_REQUEST = `
  SELECT r.id, r.status, r.status_reason AS "statusReason", r.duplicate_of AS "duplicateOf",
         ca.code AS "serviceCode", ca.label_fr AS "serviceName",
         coalesce(r.public_description, r.description) AS description, r.address,
         ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon,
         r.received_at AS "receivedAt", r.updated_at AS "updatedAt", r.closed_at AS "closedAt",
         plan.at AS "expectedAt", plan.day AS "expectedDay",
         EXISTS (SELECT 1 FROM photos ph
                  WHERE ph.report_id = r.id AND ph.position = 1 AND co.photos_public
                    AND ph.moderated_at IS NOT NULL AND NOT ph.hidden) AS "photoPublic"
    FROM reports r
    JOIN categories ca ON ca.id = r.category_id
    JOIN communes co ON co.id = r.commune_id
    LEFT JOIN LATERAL (
      SELECT p.plan_date::timestamp AT TIME ZONE co.timezone AS at, to_char(p.plan_date, 'YYYY-MM-DD') AS day
        FROM plan_stops s JOIN plans p ON p.id = s.plan_id
       WHERE s.report_id = r.id AND p.status = 'published' AND s.status = 'pending'
       ORDER BY p.plan_date DESC LIMIT 1) plan ON true`;

/** What `GET requests` asks for, already resolved to report terms. */
export interface RequestsFilter {
  communeId: number;
  /** When given, the other filters are ignored. */
  ids?: string[];
  serviceCodes?: string[];
  statuses?: ReportStatus[];
  from: Date;
  to: Date;
  limit: number;
}

/** A commune's visible reports matching the filter, newest first. */
export async function listRequests(db: Queryable, f: RequestsFilter): Promise<RequestRow[]> {
  const args: unknown[] = [f.communeId];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  const where = ['r.commune_id = $1', 'NOT r.hidden'];
  if (f.ids) {
    where.push(`r.id = ANY(${arg(f.ids)}::uuid[])`);
  } else {
    where.push(`r.received_at >= ${arg(f.from)}`, `r.received_at <= ${arg(f.to)}`);
    if (f.serviceCodes) where.push(`ca.code = ANY(${arg(f.serviceCodes)}::text[])`);
    if (f.statuses) where.push(`r.status = ANY(${arg(f.statuses)}::text[])`);
  }
  const { rows } = await db.query<RequestRow>(
    `${SELECT_REQUEST} WHERE ${where.join(' AND ')} ORDER BY r.received_at DESC, r.id DESC LIMIT ${arg(f.limit)}`,
    args,
  );
  return rows;
}

/** One visible report of the commune, or undefined (missing, hidden or another commune's: the same). */
export async function findRequest(
  db: Queryable,
  communeId: number,
  id: string,
): Promise<RequestRow | undefined> {
  const { rows } = await db.query<RequestRow>(
    `${SELECT_REQUEST} WHERE r.commune_id = $1 AND r.id = $2 AND NOT r.hidden`,
    [communeId, id],
  );
  return rows[0];
}
