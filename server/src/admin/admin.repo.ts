import type { Queryable } from '../db';

/** Facts the command-line tool asks PostGIS about a boundary before creating a commune. */
export interface BoundaryFacts {
  valid: boolean;
  centroid: { lat: number; lon: number };
  areaKm2: number;
}

/**
 * Parses a GeoJSON Polygon/MultiPolygon with PostGIS (the same parser the insert uses) and
 * returns its centroid (the default depot), validity and area. Throws on malformed GeoJSON.
 */
export async function boundaryFacts(db: Queryable, geometry: object): Promise<BoundaryFacts> {
  const { rows } = await db.query<{ valid: boolean; lat: number; lon: number; km2: number }>(
    `SELECT ST_IsValid(g) AS valid, ST_Y(ST_Centroid(g)) AS lat, ST_X(ST_Centroid(g)) AS lon,
            ST_Area(ST_MakeValid(g)::geography) / 1e6 AS km2
       FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x`,
    [JSON.stringify(geometry)],
  );
  const r = rows[0]!;
  return { valid: r.valid, centroid: { lat: r.lat, lon: r.lon }, areaKm2: r.km2 };
}

/** Every commune with its staff count, for `commune:list`. */
export async function listCommunesForCli(db: Queryable): Promise<
  Array<{
    id: number;
    slug: string;
    name: string;
    insee_code: string;
    require_admin_totp: boolean;
    users: number;
  }>
> {
  const { rows } = await db.query<{
    id: number;
    slug: string;
    name: string;
    insee_code: string;
    require_admin_totp: boolean;
    users: number;
  }>(
    `SELECT c.id, c.slug, c.name, c.insee_code, c.require_admin_totp,
            (SELECT count(DISTINCT user_id)::int FROM user_roles ur WHERE ur.commune_id = c.id) AS users
       FROM communes c ORDER BY c.slug`,
  );
  return rows;
}

/** A commune's INSEE code (which lines of a BAN file are its addresses). */
export async function communeInsee(db: Queryable, communeId: number): Promise<string> {
  const { rows } = await db.query<{ insee_code: string }>('SELECT insee_code FROM communes WHERE id = $1', [
    communeId,
  ]);
  return rows[0]!.insee_code;
}
