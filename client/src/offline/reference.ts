import type { CategoriesAnswer, CategoryView, CommuneView } from '../../../server/src/contract/communes';
import {
  ApiError,
  fetchCategories,
  fetchCommunes,
  fetchTileConfig,
  isNetworkError,
  type TileConfig,
} from '../api/api';
import { kvGet, kvSet, type CategoriesRecord, type VigieDb } from './db';

/** OpenStreetMap's tiles, when the server has never been reached. */
export const DEFAULT_TILES: TileConfig = {
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© OpenStreetMap',
};

/** Where a list of categories came from. */
export type CategoriesSource = 'network' | 'cache';

/** The categories offered at a point. */
export type CategoriesAt =
  | {
      kind: 'ok';
      commune: { id: number; slug: string; name: string };
      categories: CategoryView[];
      source: CategoriesSource;
    }
  /** The server says the point is in no commune served by Vigie. */
  | { kind: 'outside' }
  /** Offline and nothing cached yet. */
  | { kind: 'unavailable' };

/** Tile settings: from the server when reachable (and cached), else the cached ones, else OSM. */
export async function tileConfig(db: VigieDb): Promise<TileConfig> {
  try {
    const config = await fetchTileConfig();
    await kvSet(db, 'tileConfig', config);
    return config;
  } catch {
    return (await kvGet(db, 'tileConfig')) ?? DEFAULT_TILES;
  }
}

/** The cached tile settings only (no network), for the first paint. */
export async function cachedTileConfig(db: VigieDb): Promise<TileConfig | undefined> {
  return kvGet(db, 'tileConfig');
}

/** The communes served, from the server when reachable (and cached), else the cached list. */
export async function communes(db: VigieDb): Promise<CommuneView[]> {
  try {
    const list = await fetchCommunes();
    await kvSet(db, 'communes', list);
    return list;
  } catch {
    return (await kvGet(db, 'communes')) ?? [];
  }
}

/** The cached communes only (no network), for the first paint. */
export async function cachedCommunes(db: VigieDb): Promise<CommuneView[]> {
  return (await kvGet(db, 'communes')) ?? [];
}

/** Whether a point lies in a commune's bounding box ([minLon, minLat, maxLon, maxLat]). */
export function inBbox(point: { lat: number; lon: number }, bbox: readonly number[]): boolean {
  const [minLon, minLat, maxLon, maxLat] = bbox as [number, number, number, number];
  return point.lon >= minLon && point.lon <= maxLon && point.lat >= minLat && point.lat <= maxLat;
}

/**
 * Chooses categories offline: the cached commune whose box contains the point; else the last
 * commune used; else every cached commune's categories merged (by code). Pure.
 */
export function pickOfflineCategories(
  point: { lat: number; lon: number } | null,
  cached: readonly CategoriesRecord[],
  knownCommunes: readonly CommuneView[],
  lastCommuneId: number | undefined,
): CategoriesAt {
  if (cached.length === 0) return { kind: 'unavailable' };
  const byId = new Map(cached.map((c) => [c.communeId, c]));
  const containing = point ? knownCommunes.find((c) => byId.has(c.id) && inBbox(point, c.bbox)) : undefined;
  const chosen =
    (containing && byId.get(containing.id)) ??
    (lastCommuneId !== undefined ? byId.get(lastCommuneId) : undefined);
  if (chosen) {
    return { kind: 'ok', commune: chosen.commune, categories: chosen.categories, source: 'cache' };
  }
  const merged = new Map<string, CategoryView>();
  const newestFirst = [...cached].sort((a, b) => b.fetchedAt - a.fetchedAt);
  for (const record of newestFirst)
    for (const c of record.categories) if (!merged.has(c.code)) merged.set(c.code, c);
  const first = newestFirst[0]!;
  return { kind: 'ok', commune: first.commune, categories: [...merged.values()], source: 'cache' };
}

/** Stores a commune's categories for offline use and remembers it as the last commune used. */
export async function cacheCategories(db: VigieDb, answer: CategoriesAnswer, now: number): Promise<void> {
  await db.transaction('rw', db.categories, db.kv, async () => {
    await db.categories.put({
      communeId: answer.commune.id,
      commune: answer.commune,
      categories: answer.categories,
      fetchedAt: now,
    });
    await kvSet(db, 'lastCommuneId', answer.commune.id);
  });
}

/** The categories offered at a point (or, with no point yet, those of the last commune used). */
export async function categoriesAt(
  db: VigieDb,
  point: { lat: number; lon: number } | null,
  now: number,
): Promise<CategoriesAt> {
  if (point) {
    try {
      const answer = await fetchCategories(point.lat, point.lon);
      await cacheCategories(db, answer, now);
      return { kind: 'ok', commune: answer.commune, categories: answer.categories, source: 'network' };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'outside_communes') return { kind: 'outside' };
      if (!isNetworkError(err) && !(err instanceof ApiError && err.status >= 500)) throw err;
    }
  }
  const [cached, known, last] = await Promise.all([
    db.categories.toArray(),
    cachedCommunes(db),
    kvGet(db, 'lastCommuneId'),
  ]);
  return pickOfflineCategories(point, cached, known, last);
}
