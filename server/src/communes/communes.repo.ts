import type { Queryable } from '../db';
import type { CategoryView, CommuneView } from '../contract/communes';
import type { Priority } from '../contract/common';
import type { CategoryDefault } from './communes.defaults';

/** A commune's identity, as joined into other views. */
export interface CommuneRef {
  id: number;
  slug: string;
  name: string;
}

/** Public list of communes with centroid and bounding box. */
export async function listCommunes(db: Queryable): Promise<CommuneView[]> {
  const { rows } = await db.query<{
    id: number;
    slug: string;
    name: string;
    insee_code: string;
    lat: number;
    lon: number;
    xmin: number;
    ymin: number;
    xmax: number;
    ymax: number;
  }>(
    `SELECT id, slug, name, insee_code,
            ST_Y(ST_Centroid(boundary::geometry)) AS lat, ST_X(ST_Centroid(boundary::geometry)) AS lon,
            ST_XMin(boundary::geometry) AS xmin, ST_YMin(boundary::geometry) AS ymin,
            ST_XMax(boundary::geometry) AS xmax, ST_YMax(boundary::geometry) AS ymax
       FROM communes ORDER BY name, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    inseeCode: r.insee_code,
    centroid: { lat: r.lat, lon: r.lon },
    bbox: [r.xmin, r.ymin, r.xmax, r.ymax],
  }));
}

/** The commune whose boundary contains the point, if any. */
export async function findCommuneContaining(
  db: Queryable,
  lat: number,
  lon: number,
): Promise<CommuneRef | undefined> {
  const { rows } = await db.query<CommuneRef>(
    `SELECT id, slug, name FROM communes
      WHERE ST_Contains(boundary::geometry, ST_SetSRID(ST_MakePoint($1, $2), 4326))
      ORDER BY id LIMIT 1`,
    [lon, lat],
  );
  return rows[0];
}

/** Whether a point lies inside (or on the edge of) a commune's boundary. */
export async function communeCovers(
  db: Queryable,
  communeId: number,
  lat: number,
  lon: number,
): Promise<boolean> {
  const { rows } = await db.query<{ inside: boolean }>(
    `SELECT ST_Covers(boundary::geometry, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS inside
       FROM communes WHERE id = $1`,
    [communeId, lon, lat],
  );
  return rows[0]?.inside ?? false;
}

/** A commune by slug. */
export async function findCommuneBySlug(db: Queryable, slug: string): Promise<CommuneRef | undefined> {
  const { rows } = await db.query<CommuneRef>('SELECT id, slug, name FROM communes WHERE slug = $1', [slug]);
  return rows[0];
}

/** A category row with what reports and the planner need. */
export interface CategoryRow extends CategoryView {
  id: number;
  communeId: number;
  defaultServiceMinutes: number;
}

interface CategoryDbRow {
  id: number;
  commune_id: number;
  code: string;
  label_fr: string;
  label_en: string;
  icon: string;
  work_type: string;
  default_service_minutes: number;
  default_priority: Priority;
}

function toCategory(r: CategoryDbRow): CategoryRow {
  return {
    id: r.id,
    communeId: r.commune_id,
    code: r.code,
    labelFr: r.label_fr,
    labelEn: r.label_en,
    icon: r.icon,
    workType: r.work_type,
    defaultServiceMinutes: r.default_service_minutes,
    defaultPriority: r.default_priority,
  };
}

/** Active categories of a commune, in display order. */
export async function listActiveCategories(db: Queryable, communeId: number): Promise<CategoryRow[]> {
  const { rows } = await db.query<CategoryDbRow>(
    `SELECT * FROM categories WHERE commune_id = $1 AND active ORDER BY position, id`,
    [communeId],
  );
  return rows.map(toCategory);
}

/** An active category of a commune by code. */
export async function findActiveCategory(
  db: Queryable,
  communeId: number,
  code: string,
): Promise<CategoryRow | undefined> {
  const { rows } = await db.query<CategoryDbRow>(
    `SELECT * FROM categories WHERE commune_id = $1 AND code = $2 AND active`,
    [communeId, code],
  );
  return rows[0] && toCategory(rows[0]);
}

/** What it takes to create a commune. */
export interface NewCommune {
  slug: string;
  name: string;
  inseeCode: string;
  /** A GeoJSON Polygon or MultiPolygon geometry (WGS 84). */
  boundary: object;
  depot: { lat: number; lon: number };
  timezone?: string;
}

/** Inserts a commune; the boundary is normalised to a valid MultiPolygon. */
export async function insertCommune(db: Queryable, c: NewCommune): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO communes (slug, name, insee_code, boundary, depot, timezone)
     VALUES ($1, $2, $3,
             ST_Multi(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)))::geography,
             ST_SetSRID(ST_MakePoint($5, $6), 4326)::geography, $7)
     RETURNING id`,
    [
      c.slug,
      c.name,
      c.inseeCode,
      JSON.stringify(c.boundary),
      c.depot.lon,
      c.depot.lat,
      c.timezone ?? 'Europe/Paris',
    ],
  );
  return rows[0]!.id;
}

/** Copies category definitions into a commune. */
export async function insertCategories(
  db: Queryable,
  communeId: number,
  cats: readonly CategoryDefault[],
): Promise<void> {
  await db.query(
    `INSERT INTO categories (commune_id, code, label_fr, label_en, icon, work_type, default_service_minutes, default_priority, position)
     SELECT $1, c.code, c.label_fr, c.label_en, c.icon, c.work_type, c.minutes, c.priority, c.position
       FROM jsonb_to_recordset($2::jsonb) AS c(code text, label_fr text, label_en text, icon text, work_type text,
                                                minutes int, priority text, position int)`,
    [
      communeId,
      JSON.stringify(
        cats.map((c, i) => ({
          code: c.code,
          label_fr: c.labelFr,
          label_en: c.labelEn,
          icon: c.icon,
          work_type: c.workType,
          minutes: c.defaultServiceMinutes,
          priority: c.defaultPriority,
          position: i,
        })),
      ),
    ],
  );
}

/** Reads an installation fact from app_meta. */
export async function getMeta(db: Queryable, key: string): Promise<unknown> {
  const { rows } = await db.query<{ value: unknown }>('SELECT value FROM app_meta WHERE key = $1', [key]);
  return rows[0]?.value;
}

/** Records an installation fact in app_meta. */
export async function setMeta(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO app_meta (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

/** Deterministic random points inside a commune (PostGIS ST_GeneratePoints with a seed). */
export async function randomPointsIn(
  db: Queryable,
  communeId: number,
  count: number,
  seed: number,
): Promise<Array<{ lat: number; lon: number }>> {
  const { rows } = await db.query<{ lat: number; lon: number }>(
    `SELECT ST_Y(g.geom) AS lat, ST_X(g.geom) AS lon
       FROM communes c, ST_Dump(ST_GeneratePoints(c.boundary::geometry, $2, $3)) AS g
      WHERE c.id = $1`,
    [communeId, count, seed],
  );
  return rows;
}

/**
 * The time zone a commune counts its days in (the first commune's when several are listed
 * together: they share one in practice; Europe/Paris when there is none).
 */
export async function communeTimezone(db: Queryable, communeId: number | undefined): Promise<string> {
  const { rows } = await db.query<{ timezone: string }>(
    'SELECT timezone FROM communes WHERE ($1::int IS NULL OR id = $1) ORDER BY id LIMIT 1',
    [communeId ?? null],
  );
  return rows[0]?.timezone ?? 'Europe/Paris';
}
