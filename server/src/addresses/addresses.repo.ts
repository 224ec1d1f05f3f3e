import type { Queryable } from '../db';
import type { AddressView } from '../contract/addresses';

/**
 * The local address table (imported from the Base Adresse Nationale, or the demo's): names the
 * place of a report and geocodes typed addresses without any external service.
 */

/** How far a report may be from an address for that address to name its place, metres. */
export const NEAREST_ADDRESS_MAX_METRES = 250;

/** The label of the commune's address nearest to a point, or null when none is close enough. */
export async function nearestAddress(
  db: Queryable,
  communeId: number,
  lat: number,
  lon: number,
  maxMetres = NEAREST_ADDRESS_MAX_METRES,
): Promise<string | null> {
  const { rows } = await db.query<{ label: string }>(
    `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography AS g)
     SELECT a.label FROM addresses a, here
      WHERE a.commune_id = $1 AND ST_DWithin(a.location, here.g, $4)
      ORDER BY ST_Distance(a.location, here.g), a.id LIMIT 1`,
    [communeId, lon, lat, maxMetres],
  );
  return rows[0]?.label ?? null;
}

/**
 * Addresses of a commune matching typed text anywhere in their label (accents, case and
 * punctuation ignored), best matches first: labels starting with the text, then by trigram
 * similarity, then numbers in numeric order.
 */
export async function searchAddresses(
  db: Queryable,
  communeId: number,
  text: string,
  limit: number,
): Promise<AddressView[]> {
  const { rows } = await db.query<AddressView>(
    `WITH q AS (SELECT vigie_normalise($2) AS t)
     SELECT a.label, a.street, ST_Y(a.location::geometry) AS lat, ST_X(a.location::geometry) AS lon
       FROM addresses a, q
      WHERE a.commune_id = $1 AND q.t <> '' AND vigie_normalise(a.label) LIKE '%' || q.t || '%'
      ORDER BY (vigie_normalise(a.label) LIKE q.t || '%') DESC,
               similarity(vigie_normalise(a.label), q.t) DESC,
               a.street, NULLIF(regexp_replace(a.housenumber, '[^0-9].*$', ''), '')::int NULLS FIRST, a.label
      LIMIT $3`,
    [communeId, text, limit],
  );
  return rows;
}

/**
 * The single best place for a typed address (Open311's address_string, the history screen's
 * address box): an exact label first, else the best match containing the text, else the most
 * similar label above pg_trgm's threshold. A street typed without a number gives its lowest number.
 */
export async function geocode(
  db: Queryable,
  communeId: number,
  text: string,
): Promise<{ label: string; lat: number; lon: number } | undefined> {
  const [best] = await searchAddresses(db, communeId, text, 1);
  if (best) return best;
  const { rows } = await db.query<{ label: string; lat: number; lon: number }>(
    `SELECT a.label, ST_Y(a.location::geometry) AS lat, ST_X(a.location::geometry) AS lon
       FROM addresses a
      WHERE a.commune_id = $1 AND vigie_normalise(a.label) % vigie_normalise($2)
      ORDER BY similarity(vigie_normalise(a.label), vigie_normalise($2)) DESC, a.label
      LIMIT 1`,
    [communeId, text],
  );
  return rows[0];
}

/** An address to store. */
export interface NewAddress {
  housenumber: string | null;
  street: string;
  postcode: string | null;
  label: string;
  lat: number;
  lon: number;
  /** The source's own id (BAN `id`): re-importing updates the row instead of adding another. */
  sourceId: string | null;
}

/** Inserts addresses of a commune, updating those whose source id is already there; returns how many were written. */
export async function upsertAddresses(
  db: Queryable,
  communeId: number,
  rows: readonly NewAddress[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO addresses (commune_id, housenumber, street, postcode, label, location, source_id)
     SELECT $1, a.housenumber, a.street, a.postcode, a.label,
            ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography, a."sourceId"
       FROM jsonb_to_recordset($2::jsonb)
         AS a(housenumber text, street text, postcode text, label text, lat float8, lon float8, "sourceId" text)
     ON CONFLICT (commune_id, source_id) DO UPDATE
        SET housenumber = EXCLUDED.housenumber, street = EXCLUDED.street, postcode = EXCLUDED.postcode,
            label = EXCLUDED.label, location = EXCLUDED.location`,
    [communeId, JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

/** How many addresses a commune has. */
export async function countAddresses(db: Queryable, communeId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM addresses WHERE commune_id = $1',
    [communeId],
  );
  return rows[0]?.n ?? 0;
}

/** Re-names the place of every report of a commune from its addresses (after an import); returns how many changed. */
export async function refreshReportAddresses(
  db: Queryable,
  communeId: number,
  maxMetres = NEAREST_ADDRESS_MAX_METRES,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE reports r SET address = n.label
       FROM (SELECT r2.id,
                    (SELECT a.label FROM addresses a
                      WHERE a.commune_id = r2.commune_id AND ST_DWithin(a.location, r2.location, $2)
                      ORDER BY ST_Distance(a.location, r2.location), a.id LIMIT 1) AS label
               FROM reports r2 WHERE r2.commune_id = $1) n
      WHERE r.id = n.id AND r.address IS DISTINCT FROM n.label`,
    [communeId, maxMetres],
  );
  return rowCount ?? 0;
}
