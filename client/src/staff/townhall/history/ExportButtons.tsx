import type { FilterParams } from '../filters';

/**
 * Export of the filtered list as CSV and GeoJSON (same filter as the list). Rendered by the
 * history screen. (Being built: issue 6, exports.)
 */
export function ExportButtons(_props: { filter: FilterParams }) {
  return null;
}
