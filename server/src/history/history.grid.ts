import type { Bbox } from '../contract/reports';

/**
 * The grid the map's reports are grouped in (pure). Cells are about CELL_PIXELS wide on the
 * screen at the requested zoom, square on a Web Mercator map, and anchored at 0,0 so a cell
 * stays the same cell when the map pans: only the zoom changes the grid. Cell (i, j) holds the
 * points with floor(lon / size.lon) = i and floor(lat / size.lat) = j (see history.repo).
 */

/** Side of a cell on the screen, CSS pixels (a cluster marker is about half of it). */
export const CELL_PIXELS = 64;
/** Most cells a viewport may be cut into: the answer stays small however large the screen. */
export const MAX_CELLS = 400;
/** Web Mercator tiles are 256 px wide; zoom z shows 360° of longitude over 256 * 2^z px. */
const TILE_PIXELS = 256;

/** Cell size in degrees of longitude and latitude. */
export interface CellSize {
  lon: number;
  lat: number;
}

/**
 * Cell size at a zoom and latitude: CELL_PIXELS of longitude; of latitude, the same times the
 * cosine of the latitude (Mercator stretches latitude by 1/cos), rounded to a twentieth so
 * that the grid does not shift under small vertical pans.
 */
export function cellSize(zoom: number, latitude: number): CellSize {
  const lon = (360 / (TILE_PIXELS * 2 ** zoom)) * CELL_PIXELS;
  const cos = Math.cos((Math.min(Math.abs(latitude), 85) * Math.PI) / 180);
  const factor = Math.max(0.05, Math.round(cos * 20) / 20);
  return { lon, lat: lon * factor };
}

/** Index of the cell column (or row) holding a coordinate. */
export const cellIndex = (v: number, size: number) => Math.floor(v / size);
const index = cellIndex;

/** How many cells of this size a rectangle touches (one spare row and column: a point on the far edge starts the next cell). */
export function cellCount(b: Bbox, size: CellSize): number {
  const cols = index(b.maxLon, size.lon) - index(b.minLon, size.lon) + 2;
  const rows = index(b.maxLat, size.lat) - index(b.minLat, size.lat) + 2;
  return cols * rows;
}

/** The grid for one request: cell size and the rectangle actually counted. */
export interface ClusterGrid {
  size: CellSize;
  /** The viewport widened to whole cells (clamped to WGS 84 bounds). */
  bbox: Bbox;
}

/**
 * The grid for a viewport and zoom: the zoom's cell size, doubled as often as needed to cut
 * the viewport into at most MAX_CELLS cells (a huge screen or a zoom that does not match the
 * rectangle still gets a small answer), and the viewport widened to whole cells, so that a
 * cell's count is the same whichever view shows it.
 */
export function clusterGrid(viewport: Bbox, zoom: number): ClusterGrid {
  let size = cellSize(zoom, (viewport.minLat + viewport.maxLat) / 2);
  while (cellCount(viewport, size) > MAX_CELLS) size = { lon: size.lon * 2, lat: size.lat * 2 };
  const bbox: Bbox = {
    minLon: Math.max(-180, index(viewport.minLon, size.lon) * size.lon),
    minLat: Math.max(-90, index(viewport.minLat, size.lat) * size.lat),
    maxLon: Math.min(180, (index(viewport.maxLon, size.lon) + 1) * size.lon),
    maxLat: Math.min(90, (index(viewport.maxLat, size.lat) + 1) * size.lat),
  };
  return { size, bbox };
}
