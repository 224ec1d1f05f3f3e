import type { Queryable } from '../db';
import type { DepotView } from '../contract/settings';

/**
 * A commune's operating settings: where the crews' day starts (the depot) and when (the day's
 * start time).
 */

/** Locks a commune's row: its settings changes (and plan saves) happen one at a time. */
export async function lockCommune(db: Queryable, communeId: number): Promise<void> {
  await db.query('SELECT id FROM communes WHERE id = $1 FOR UPDATE', [communeId]);
}

/** The depot, with the boundary and its box for the map. */
export async function getDepot(db: Queryable, communeId: number): Promise<DepotView | undefined> {
  const { rows } = await db.query<{
    lat: number;
    lon: number;
    boundary: string;
    xmin: number;
    ymin: number;
    xmax: number;
    ymax: number;
  }>(
    `SELECT ST_Y(depot::geometry) AS lat, ST_X(depot::geometry) AS lon,
            ST_AsGeoJSON(boundary::geometry, 6) AS boundary,
            ST_XMin(boundary::geometry) AS xmin, ST_YMin(boundary::geometry) AS ymin,
            ST_XMax(boundary::geometry) AS xmax, ST_YMax(boundary::geometry) AS ymax
       FROM communes WHERE id = $1`,
    [communeId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    depot: { lat: r.lat, lon: r.lon },
    boundary: JSON.parse(r.boundary) as DepotView['boundary'],
    bbox: [r.xmin, r.ymin, r.xmax, r.ymax],
  };
}

/**
 * Moves the depot when the point lies inside the commune's boundary (the same test that routes
 * reports to a commune); false, and nothing changed, otherwise.
 */
export async function setDepot(db: Queryable, communeId: number, lat: number, lon: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE communes SET depot = ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography
      WHERE id = $1 AND ST_Contains(boundary::geometry, ST_SetSRID(ST_MakePoint($2, $3), 4326))`,
    [communeId, lon, lat],
  );
  return (rowCount ?? 0) > 0;
}

/** When the crews' day starts, minutes after midnight. */
export async function getDayStart(db: Queryable, communeId: number): Promise<number | undefined> {
  const { rows } = await db.query<{ m: number }>('SELECT day_start_minute AS m FROM communes WHERE id = $1', [
    communeId,
  ]);
  return rows[0]?.m;
}

/** Sets when the crews' day starts. */
export async function setDayStart(db: Queryable, communeId: number, minutes: number): Promise<void> {
  await db.query('UPDATE communes SET day_start_minute = $2 WHERE id = $1', [communeId, minutes]);
}
