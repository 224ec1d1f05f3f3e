/**
 * Pure helpers of the history map: the map view kept in the address (`view=lat,lon,zoom`, so
 * a shared link shows the same place), the viewport as the API's `bbox`, and how a cluster
 * marker looks for its count.
 */

/** Where the map looks. */
export interface MapView {
  lat: number;
  lon: number;
  zoom: number;
}

/** A lon/lat rectangle `[minLon, minLat, maxLon, maxLat]`. */
export type Bounds = [number, number, number, number];

/** The zooms the history map allows. */
export const MIN_ZOOM = 3;
export const MAX_ZOOM = 19;

/** `lat,lon,zoom` with as many decimals as the zoom needs (about a pixel). */
export function viewToParam(v: MapView): string {
  const zoom = Math.round(v.zoom);
  const decimals = Math.min(7, Math.max(2, Math.ceil(Math.log10(2 ** zoom)) + 1));
  return `${v.lat.toFixed(decimals)},${v.lon.toFixed(decimals)},${zoom}`;
}

/** The view of a `view` parameter, or null when it is not one. */
export function viewFromParam(param: string | null | undefined): MapView | null {
  if (!param) return null;
  const parts = param.split(',');
  if (parts.length !== 3 || parts.some((p) => !/^[+-]?\d+(\.\d+)?$/.test(p.trim()))) return null;
  const [lat, lon, zoom] = parts.map(Number) as [number, number, number];
  if (Math.abs(lat) > 85 || Math.abs(lon) > 180 || !Number.isInteger(zoom)) return null;
  if (zoom < MIN_ZOOM || zoom > MAX_ZOOM) return null;
  return { lat, lon, zoom };
}

/** Bounds as the API's `bbox` (clamped to WGS 84, six decimals). */
export function boundsToParam(b: Bounds): string {
  const clamp = (v: number, limit: number) => Math.min(limit, Math.max(-limit, v));
  const r = (v: number) => String(Math.round(v * 1e6) / 1e6);
  return [clamp(b[0], 180), clamp(b[1], 90), clamp(b[2], 180), clamp(b[3], 90)].map(r).join(',');
}

/** The bounds of a `bbox` parameter, or null. */
export function boundsFromParam(param: string | undefined): Bounds | null {
  if (!param) return null;
  const parts = param.split(',').map((p) => (/^[+-]?\d+(\.\d+)?$/.test(p.trim()) ? Number(p) : NaN));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [a, b, c, d] = parts as Bounds;
  return a <= c && b <= d ? [a, b, c, d] : null;
}

/** Marker size class for a cluster's count: bigger for more reports, a few steps only. */
export function clusterSize(count: number): 's' | 'm' | 'l' | 'xl' {
  if (count < 10) return 's';
  if (count < 100) return 'm';
  if (count < 1000) return 'l';
  return 'xl';
}

/** A count short enough for a marker: 1234 -> "1,2k" (fr) / "1.2k" (en), 15000 -> "15k". */
export function shortCount(count: number, lang: string): string {
  if (count < 1000) return String(count);
  const k = count / 1000;
  const text = k < 10 ? k.toFixed(1) : String(Math.round(k));
  return `${lang.startsWith('fr') ? text.replace('.', ',') : text}k`;
}
