import type { Queryable } from '../db';
import { filterConditions, queryArgs, type ScopedFilter } from '../reports/reports.filter.repo';
import type { ExportRow } from './exports.format';

/**
 * Reads exports in keyset batches (by receipt, oldest first): each batch is one short query
 * that continues where the previous one stopped, through the receipt index, so a 100,000-row
 * export holds one batch in memory at a time and no connection while the client reads.
 */

/** Where the next batch starts: the last row's receipt (microseconds, UTC) and id. */
export interface ExportKey {
  at: string;
  id: string;
}

/** How many reports the filter holds in each commune. */
export async function countByCommune(
  db: Queryable,
  f: ScopedFilter,
): Promise<Array<{ communeId: number; slug: string; count: number }>> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  const { rows } = await db.query<{ commune_id: number; slug: string; count: number }>(
    `SELECT r.commune_id, co.slug, count(*)::int AS count
       FROM reports r JOIN communes co ON co.id = r.commune_id
      WHERE ${where.join(' AND ')}
      GROUP BY r.commune_id, co.slug ORDER BY r.commune_id`,
    args,
  );
  return rows.map((r) => ({ communeId: r.commune_id, slug: r.slug, count: r.count }));
}

/** Slugs of communes, by id. */
export async function communeSlugs(db: Queryable, ids: readonly number[]): Promise<Map<number, string>> {
  const { rows } = await db.query<{ id: number; slug: string }>(
    'SELECT id, slug FROM communes WHERE id = ANY($1::int[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.slug]));
}

/**
 * The next batch of reports matching the filter after `after`, oldest first. `contact`: the
 * communes whose reporters' emails the caller may export ('all' for every one); other rows get
 * null. Photos are not read.
 */
export async function exportBatch(
  db: Queryable,
  f: ScopedFilter,
  contact: 'all' | readonly number[],
  after: ExportKey | undefined,
  limit: number,
): Promise<Array<ExportRow & { key: ExportKey }>> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  if (after) where.push(`(r.received_at, r.id) > (${arg(after.at)}::timestamptz, ${arg(after.id)}::uuid)`);
  const contactAll = arg(contact === 'all');
  const contactIds = arg(contact === 'all' ? [] : contact);
  const utc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const local = (col: string) => `to_char(${col} AT TIME ZONE co.timezone, 'YYYY-MM-DD HH24:MI:SS')`;
  const { rows } = await db.query<{
    id: string;
    commune: string;
    received_local: string;
    received_utc: string;
    status: string;
    priority: string;
    category: string;
    category_label: string;
    address: string | null;
    description: string | null;
    public_description: string | null;
    lat: number;
    lon: number;
    accuracy_m: number;
    location_source: string;
    closed_local: string | null;
    closed_utc: string | null;
    status_reason: string | null;
    duplicate_of: string | null;
    hidden: boolean;
    contact_email: string | null;
    key_at: string;
  }>(
    `SELECT r.id, co.slug AS commune, ${local('r.received_at')} AS received_local,
            ${utc('r.received_at')} AS received_utc, r.status, r.priority,
            ca.code AS category, ca.label_fr AS category_label, r.address, r.description,
            r.public_description,
            round(ST_Y(r.location::geometry)::numeric, 6)::float8 AS lat,
            round(ST_X(r.location::geometry)::numeric, 6)::float8 AS lon,
            round(r.accuracy_m::numeric, 1)::float8 AS accuracy_m, r.location_source,
            ${local('r.closed_at')} AS closed_local, ${utc('r.closed_at')} AS closed_utc,
            r.status_reason, r.duplicate_of, r.hidden,
            CASE WHEN ${contactAll}::boolean OR r.commune_id = ANY(${contactIds}::int[])
                 THEN r.contact_email END AS contact_email,
            to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at
       FROM reports r
       JOIN communes co ON co.id = r.commune_id
       JOIN categories ca ON ca.id = r.category_id
      WHERE ${where.join(' AND ')}
      ORDER BY r.received_at, r.id
      LIMIT ${arg(limit)}`,
    args,
  );
  return rows.map((r) => ({
    id: r.id,
    commune: r.commune,
    receivedLocal: r.received_local,
    receivedUtc: r.received_utc,
    status: r.status,
    priority: r.priority,
    category: r.category,
    categoryLabel: r.category_label,
    address: r.address,
    description: r.description,
    publicDescription: r.public_description,
    lat: r.lat,
    lon: r.lon,
    accuracyM: r.accuracy_m,
    locationSource: r.location_source,
    closedLocal: r.closed_local,
    closedUtc: r.closed_utc,
    statusReason: r.status_reason,
    duplicateOf: r.duplicate_of,
    hidden: r.hidden,
    contactEmail: r.contact_email,
    key: { at: r.key_at, id: r.id },
  }));
}
