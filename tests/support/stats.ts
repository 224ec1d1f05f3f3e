import crypto from 'node:crypto';
import pg from 'pg';
import type { Pool } from 'pg';
import type { Priority, ReportStatus } from '../../server/src/contract/common';
import { insertReport } from '../../server/src/reports/reports.repo';

/** A report of a known dataset: its category, status and when it was received and closed. */
export interface KnownReport {
  category: string;
  status: ReportStatus;
  /** UTC instant. */
  receivedAt: string;
  /** Hours from receipt to closure (closed statuses only). */
  closedAfterHours?: number;
  /** Metres north and east of the commune's centre. */
  north?: number;
  east?: number;
  priority?: Priority;
  description?: string | null;
  contactEmail?: string | null;
  address?: string | null;
}

/** The point `north` / `east` metres from a centre. */
export function offset(centre: { lat: number; lon: number }, north: number, east: number) {
  return {
    lat: centre.lat + north / 111_320,
    lon: centre.lon + east / (111_320 * Math.cos((centre.lat * Math.PI) / 180)),
  };
}

/**
 * Inserts a report of a known dataset directly through the reports repository (the statistics
 * need receipt and closure times in the past, which the upload route rightly never accepts).
 */
export async function insertKnownReport(
  pool: Pool,
  commune: { id: number; centre: { lat: number; lon: number } },
  r: KnownReport,
): Promise<string> {
  const { rows } = await pool.query<{ id: number }>(
    'SELECT id FROM categories WHERE commune_id = $1 AND code = $2',
    [commune.id, r.category],
  );
  if (!rows[0]) throw new Error(`no category ${r.category}`);
  const id = crypto.randomUUID();
  const at = offset(commune.centre, r.north ?? 0, r.east ?? 0);
  const closedAt =
    r.closedAfterHours === undefined
      ? undefined
      : new Date(Date.parse(r.receivedAt) + r.closedAfterHours * 3_600_000).toISOString();
  await insertReport(pool, {
    id,
    communeId: commune.id,
    categoryId: rows[0].id,
    lat: at.lat,
    lon: at.lon,
    accuracy: 6,
    locationSource: 'gps',
    description: r.description === undefined ? 'Signalement de test' : r.description,
    priority: r.priority ?? 'normal',
    capturedAt: r.receivedAt,
    reporterTokenHash: crypto.randomBytes(32),
    contactEmail: r.contactEmail ?? null,
    contentHash: crypto.randomBytes(32),
    status: r.status,
    receivedAt: r.receivedAt,
    address: r.address ?? null,
    ...(closedAt ? { closedAt } : {}),
  });
  return id;
}

/**
 * `n` reports spread over about 2 km around a centre, in one INSERT ... SELECT (as the API
 * benchmark fills its database): every status, closure times after receipt for the closed ones,
 * formula-looking descriptions with accents, and public texts of `textLength` characters (a
 * column without a text index, so that a large file is quick to insert).
 */
export async function fillReports(
  url: string,
  commune: { id: number; centre: { lat: number; lon: number } },
  n: number,
  textLength = 200,
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO reports (id, commune_id, category_id, location, accuracy_m, location_source, status, priority,
                            description, public_description, captured_at, received_at, closed_at,
                            reporter_token_hash, content_hash, contact_email)
       SELECT gen_random_uuid(), $1, cat, loc, 5 + random() * 20, 'gps', st,
              (ARRAY['low','normal','high','danger'])[1 + (i % 4)],
              '=Trou rue de l''Église n°' || i,
              left('Nid-de-poule ' || repeat('profond; "très" gênant, ', 1 + $5 / 24), $5),
              rec, rec, CASE WHEN st IN ('fixed','not_fixable','duplicate','rejected')
                             THEN rec + random() * interval '30 days' END,
              sha256(('t' || i)::bytea), sha256(('c' || i)::bytea), 'habitant' || i || '@example.org'
         FROM (SELECT i,
                      (SELECT id FROM categories WHERE commune_id = $1 ORDER BY id LIMIT 1 OFFSET i % 3) AS cat,
                      ST_SetSRID(ST_MakePoint($3 + (random() - 0.5) * 0.02, $2 + (random() - 0.5) * 0.02),
                                 4326)::geography AS loc,
                      (ARRAY['new','acknowledged','planned','in_progress','fixed','not_fixable','duplicate',
                             'rejected'])[1 + (i % 8)] AS st,
                      now() - interval '400 days' + random() * interval '395 days' AS rec
                 FROM generate_series(1, $4) AS i) s`,
      [commune.id, commune.centre.lat, commune.centre.lon, n, textLength],
    );
    await c.query('VACUUM ANALYZE reports');
  } finally {
    await c.end();
  }
}
