import { describe, expect, it } from 'vitest';
import {
  CELL_PIXELS,
  cellCount,
  cellIndex,
  cellSize,
  clusterGrid,
  MAX_CELLS,
} from '../../../server/src/history/history.grid';

/** Saint-Nolff's bourg, about 1.3 km x 0.9 km. */
const BOURG = { minLon: -2.66, minLat: 47.699, maxLon: -2.643, maxLat: 47.707 };

describe('cellSize (zoom -> cell size)', () => {
  it('gives CELL_PIXELS of longitude at each zoom, halving as the zoom grows', () => {
    // Zoom 0 shows 360° over 256 px.
    expect(cellSize(0, 0).lon).toBeCloseTo((360 / 256) * CELL_PIXELS, 12);
    for (let z = 1; z <= 22; z++) expect(cellSize(z, 47).lon).toBeCloseTo(cellSize(z - 1, 47).lon / 2, 15);
    // At zoom 15, 64 px is 0.00275° of longitude: about 205 m in Saint-Nolff.
    expect(cellSize(15, 47.7).lon).toBeCloseTo(0.00274658203125, 15);
  });

  it('makes cells square on a Mercator map: latitude size times cos(latitude), in twentieths', () => {
    const { lon, lat } = cellSize(14, 47.7);
    // cos(47.7°) = 0.673 -> 0.65.
    expect(lat / lon).toBeCloseTo(0.65, 12);
    expect(cellSize(14, 0).lat).toBe(cellSize(14, 0).lon);
    // Southern latitudes like northern ones; near the poles a floor keeps cells finite.
    expect(cellSize(14, -47.7).lat).toBe(lat);
    expect(cellSize(3, 89.9).lat / cellSize(3, 89.9).lon).toBeCloseTo(0.1, 12);
    expect(cellSize(3, 89.9).lat).toBeGreaterThan(0);
  });

  it('does not change under a small vertical pan', () => {
    expect(cellSize(16, 47.7)).toEqual(cellSize(16, 47.75));
  });
});

describe('clusterGrid', () => {
  it('widens the viewport to whole cells that contain it', () => {
    const g = clusterGrid(BOURG, 15);
    expect(g.bbox.minLon).toBeLessThanOrEqual(BOURG.minLon);
    expect(g.bbox.minLat).toBeLessThanOrEqual(BOURG.minLat);
    expect(g.bbox.maxLon).toBeGreaterThanOrEqual(BOURG.maxLon);
    expect(g.bbox.maxLat).toBeGreaterThanOrEqual(BOURG.maxLat);
    // Edges on grid lines, less than a cell away from the viewport's.
    for (const [v, s] of [
      [g.bbox.minLon, g.size.lon],
      [g.bbox.maxLon, g.size.lon],
      [g.bbox.minLat, g.size.lat],
      [g.bbox.maxLat, g.size.lat],
    ] as const)
      expect(Math.abs(v / s - Math.round(v / s))).toBeLessThan(1e-9);
    expect(BOURG.minLon - g.bbox.minLon).toBeLessThan(g.size.lon);
    expect(g.bbox.maxLat - BOURG.maxLat).toBeLessThanOrEqual(g.size.lat);
  });

  it('keeps the same cells when the map pans', () => {
    const a = clusterGrid(BOURG, 15);
    const b = clusterGrid({ ...BOURG, minLon: BOURG.minLon + 0.003, maxLon: BOURG.maxLon + 0.003 }, 15);
    expect(b.size).toEqual(a.size);
    const point = -2.65;
    expect(cellIndex(point, a.size.lon)).toBe(cellIndex(point, b.size.lon));
  });

  it('never cuts a viewport into more than MAX_CELLS cells, whatever the zoom it is asked with', () => {
    const france = { minLon: -5, minLat: 42, maxLon: 8, maxLat: 51 };
    for (const zoom of [0, 5, 12, 22]) {
      const g = clusterGrid(france, zoom);
      expect(cellCount(france, g.size), `zoom ${zoom}`).toBeLessThanOrEqual(MAX_CELLS);
    }
    // A zoom that fits the viewport keeps its own cell size.
    expect(clusterGrid(BOURG, 15).size).toEqual(cellSize(15, (BOURG.minLat + BOURG.maxLat) / 2));
    // At zoom 22 over France, the cells were doubled many times, in powers of two.
    const huge = clusterGrid(france, 22).size.lon / cellSize(22, 46.5).lon;
    expect(Math.log2(huge) % 1).toBe(0);
    expect(huge).toBeGreaterThan(1000);
  });

  it('stays within WGS 84 bounds for the whole world', () => {
    const g = clusterGrid({ minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 }, 0);
    expect(g.bbox).toEqual({ minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 });
  });
});
