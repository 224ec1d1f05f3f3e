/**
 * The town hall's report filter on the client: the same query parameters the API takes
 * (`server/src/contract/filters.ts`), so a screen's address, its API call and its exports all
 * carry one filter. Statistics link to the history screen with the filter of the figure clicked.
 */

/** The filter parameters, as strings (the API validates them). */
export const FILTER_KEYS = [
  'commune',
  'status',
  'category',
  'priority',
  'from',
  'to',
  'q',
  'address',
  'area',
  'bbox',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type FilterParams = Partial<Record<FilterKey, string>>;

/** The filter parameters of a query string (anything else is left out). */
export function filterFromQuery(query: URLSearchParams): FilterParams {
  const f: FilterParams = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** A query string for a filter (empty values left out), in a stable order. */
export function filterToQuery(
  f: FilterParams,
  extra: Record<string, string | undefined> = {},
): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (v) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q;
}
