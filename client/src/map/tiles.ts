import type { TileConfig } from '../api/api';

/** The attribution to show: the server's, or OpenStreetMap's when its tiles are used. */
export function attributionFor(tiles: TileConfig): string {
  if (tiles.attribution) return tiles.attribution;
  return /openstreetmap\.(org|fr)/.test(tiles.tileUrl) ? '© OpenStreetMap' : '';
}

/** Centre of mainland France, when neither a position nor a commune is known. */
export const FRANCE = { lat: 46.6, lon: 2.4, zoom: 5 };
