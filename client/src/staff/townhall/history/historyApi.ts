import type { AddressView } from '../../../../../server/src/contract/addresses';
import type { CategoryView, CommuneView } from '../../../../../server/src/contract/communes';
import type { ClustersAnswer, CountAnswer } from '../../../../../server/src/contract/history';
import type { StaffReportPage } from '../../../../../server/src/contract/staff';
import type { TileConfig } from '../../../api/api';
import { request } from '../../api';
import { filterToQuery, type FilterParams } from '../filters';

/** Calls of the history screen; each takes an AbortSignal so a newer view or filter cancels it. */

/** Rows per page of the list. */
export const PAGE_SIZE = 25;

/** A page of the filtered list (keyset: pass the previous page's `nextCursor`). */
export function fetchPage(filter: FilterParams, cursor: string | null, signal: AbortSignal) {
  const q = filterToQuery(filter, { limit: String(PAGE_SIZE), cursor: cursor ?? undefined });
  return request<StaffReportPage>(`/api/staff/reports?${q.toString()}`, { signal });
}

/** How many reports match the filter (capped). */
export function fetchCount(filter: FilterParams, signal: AbortSignal) {
  return request<CountAnswer>(`/api/staff/reports/count?${filterToQuery(filter).toString()}`, { signal });
}

/** Map clusters of the filter inside a viewport, for a zoom. */
export function fetchClusters(filter: FilterParams, bbox: string, zoom: number, signal: AbortSignal) {
  const q = filterToQuery({ ...filter, bbox }, { zoom: String(zoom) });
  return request<ClustersAnswer>(`/api/staff/reports/clusters?${q.toString()}`, { signal });
}

/** Address suggestions of a commune (local table). */
export async function fetchAddresses(commune: string, text: string, signal: AbortSignal) {
  const q = new URLSearchParams({ commune, q: text, limit: '30' });
  return (await request<{ items: AddressView[] }>(`/api/addresses?${q.toString()}`, { signal })).items;
}

/** Every commune (public list: names, centres, rectangles). */
export function fetchCommunes() {
  return request<CommuneView[]>('/api/communes');
}

/** The categories of the commune at a point. */
export async function fetchCategories(at: { lat: number; lon: number }) {
  const q = new URLSearchParams({ lat: String(at.lat), lon: String(at.lon) });
  return (await request<{ categories: CategoryView[] }>(`/api/categories?${q.toString()}`)).categories;
}

/** The tile configuration (null: the map draws on a plain grid, as without network). */
export async function fetchTiles(): Promise<TileConfig | null> {
  try {
    const c = await request<Partial<TileConfig>>('/api/config');
    return c.tileUrl
      ? { tileUrl: c.tileUrl, ...(c.attribution ? { attribution: c.attribution } : {}) }
      : null;
  } catch {
    return null;
  }
}
