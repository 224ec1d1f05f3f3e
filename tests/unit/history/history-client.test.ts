import { describe, expect, it } from 'vitest';
import {
  areaFromParam,
  areaToParam,
  canFinish,
  IDLE,
  MAX_VERTICES,
  polygonReducer,
  type PolygonAction,
  type PolygonState,
} from '../../../client/src/staff/townhall/history/polygon';
import {
  boundsFromParam,
  boundsToParam,
  clusterSize,
  shortCount,
  viewFromParam,
  viewToParam,
} from '../../../client/src/staff/townhall/history/view';
import { suggestionsOf } from '../../../client/src/staff/townhall/history/suggestions';

const run = (actions: PolygonAction[], from: PolygonState = IDLE) => actions.reduce(polygonReducer, from);
const church = { lat: 47.7043, lon: -2.6521 };
const v = (dLat: number, dLon: number) => ({ lat: church.lat + dLat, lon: church.lon + dLon });

describe('polygon tool state', () => {
  it('collects vertices while drawing and finishes with at least three', () => {
    let s = run([{ type: 'start' }, { type: 'add', vertex: v(0, 0) }, { type: 'add', vertex: v(0.001, 0) }]);
    expect(s).toMatchObject({ mode: 'drawing', vertices: [v(0, 0), v(0.001, 0)] });
    expect(canFinish(s)).toBe(false);
    // Two vertices are not an area: finish does nothing.
    expect(polygonReducer(s, { type: 'finish' })).toBe(s);
    s = run([{ type: 'add', vertex: v(0.001, 0.001) }, { type: 'finish' }], s);
    expect(s).toEqual({ mode: 'done', vertices: [v(0, 0), v(0.001, 0), v(0.001, 0.001)] });
  });

  it('ignores clicks when not drawing, and the same point twice in a row (double click)', () => {
    expect(run([{ type: 'add', vertex: v(0, 0) }])).toBe(IDLE);
    const s = run([{ type: 'start' }, { type: 'add', vertex: v(0, 0) }, { type: 'add', vertex: v(0, 0) }]);
    expect(s).toMatchObject({ vertices: [v(0, 0)] });
    const done = run(
      [{ type: 'add', vertex: v(1, 1) }, { type: 'add', vertex: v(2, 1) }, { type: 'finish' }],
      s,
    );
    expect(polygonReducer(done, { type: 'add', vertex: v(3, 3) })).toBe(done);
  });

  it('undoes the last vertex, cancels a drawing, clears a finished area', () => {
    const s = run([{ type: 'start' }, { type: 'add', vertex: v(0, 0) }, { type: 'add', vertex: v(1, 0) }]);
    expect(run([{ type: 'undo' }], s)).toMatchObject({ mode: 'drawing', vertices: [v(0, 0)] });
    expect(run([{ type: 'undo' }, { type: 'undo' }, { type: 'undo' }], s)).toEqual({
      mode: 'drawing',
      vertices: [],
    });
    expect(run([{ type: 'cancel' }], s)).toBe(IDLE);
    const done = run([{ type: 'add', vertex: v(1, 1) }, { type: 'finish' }], s);
    expect(run([{ type: 'undo' }], done)).toBe(done);
    expect(run([{ type: 'clear' }], done)).toBe(IDLE);
  });

  it('stops at the API limit of vertices', () => {
    const actions: PolygonAction[] = [{ type: 'start' }];
    for (let i = 0; i < MAX_VERTICES + 5; i++) actions.push({ type: 'add', vertex: v(i * 1e-4, 0) });
    const s = run(actions);
    expect(s.mode === 'drawing' && s.vertices.length).toBe(MAX_VERTICES);
  });

  it('follows the area of the address unless a drawing is under way', () => {
    const area = [v(0, 0), v(1, 0), v(1, 1)];
    const loaded = run([{ type: 'load', vertices: area }]);
    expect(loaded).toEqual({ mode: 'done', vertices: area });
    expect(polygonReducer(loaded, { type: 'load', vertices: [...area] })).toBe(loaded);
    expect(run([{ type: 'load', vertices: null }], loaded)).toBe(IDLE);
    const drawing = run([{ type: 'start' }, { type: 'add', vertex: v(5, 5) }]);
    expect(polygonReducer(drawing, { type: 'load', vertices: area })).toBe(drawing);
  });
});

describe('area parameter', () => {
  it('round-trips vertices as lon,lat pairs with six decimals', () => {
    const area = [v(0, 0), v(0.0012345678, 0), v(0.001, 0.002)];
    const param = areaToParam(area);
    expect(param).toBe('-2.6521,47.7043;-2.6521,47.705535;-2.6501,47.7053');
    expect(areaFromParam(param)).toEqual([
      { lat: 47.7043, lon: -2.6521 },
      { lat: 47.705535, lon: -2.6521 },
      { lat: 47.7053, lon: -2.6501 },
    ]);
  });

  it('accepts a closed ring and refuses what the API would refuse', () => {
    expect(areaFromParam('0,0;1,0;1,1;0,0')).toEqual([
      { lat: 0, lon: 0 },
      { lat: 0, lon: 1 },
      { lat: 1, lon: 1 },
    ]);
    expect(areaFromParam('0,0;1,0')).toBeNull();
    expect(areaFromParam('0,0;1,0;1,x')).toBeNull();
    expect(areaFromParam('0,0;1,0;1,95')).toBeNull();
    expect(areaFromParam('0,0,0;1,0;1,1')).toBeNull();
    expect(areaFromParam(undefined)).toBeNull();
  });
});

describe('map view and viewport parameters', () => {
  it('keeps the view in the address with about a pixel of precision', () => {
    expect(viewToParam({ lat: 47.70431234, lon: -2.65211234, zoom: 16 })).toBe('47.704312,-2.652112,16');
    expect(viewToParam({ lat: 46.6, lon: 2.4, zoom: 5 })).toBe('46.600,2.400,5');
    expect(viewFromParam('47.704312,-2.652112,16')).toEqual({ lat: 47.704312, lon: -2.652112, zoom: 16 });
  });

  it('refuses views the map cannot show', () => {
    for (const bad of ['47,-2', '47,-2,16.5', '95,0,10', '47,-2,25', '47,-2,1', 'a,b,c', ''])
      expect(viewFromParam(bad), bad).toBeNull();
  });

  it('writes bounds as a clamped bbox and reads them back', () => {
    expect(boundsToParam([-2.66123456, 47.699, -2.643, 47.707])).toBe('-2.661235,47.699,-2.643,47.707');
    expect(boundsToParam([-200, -95, 200, 95])).toBe('-180,-90,180,90');
    expect(boundsFromParam('-2.66,47.69,-2.64,47.71')).toEqual([-2.66, 47.69, -2.64, 47.71]);
    expect(boundsFromParam('-2.64,47.69,-2.66,47.71')).toBeNull();
    expect(boundsFromParam('1,2,3')).toBeNull();
  });
});

describe('cluster markers', () => {
  it('grow in a few steps with the count', () => {
    expect([1, 9, 10, 99, 100, 999, 1000, 250_000].map(clusterSize)).toEqual([
      's',
      's',
      'm',
      'm',
      'l',
      'l',
      'xl',
      'xl',
    ]);
  });

  it('show short counts in each language', () => {
    expect(shortCount(999, 'fr')).toBe('999');
    expect(shortCount(1234, 'fr')).toBe('1,2k');
    expect(shortCount(1234, 'en')).toBe('1.2k');
    expect(shortCount(15_400, 'en')).toBe('15k');
  });
});

describe('address suggestions', () => {
  const at = (label: string, street: string, n: number) => ({
    label,
    street,
    lat: 47 + n / 8,
    lon: -2.65,
  });
  it('offers each street once, first, then the addresses with their place', () => {
    const items = [
      at("1 Rue de l'Église", "Rue de l'Église", 1),
      at("3 Rue de l'Église", "Rue de l'Église", 3),
      at('2 Rue de la Gare', 'Rue de la Gare', 2),
      at('Kerbois', 'Kerbois', 9),
    ];
    expect(suggestionsOf(items)).toEqual([
      { text: "Rue de l'Église" },
      { text: 'Rue de la Gare' },
      { text: 'Kerbois' },
      { text: "1 Rue de l'Église", at: { lat: 47.125, lon: -2.65 } },
      { text: "3 Rue de l'Église", at: { lat: 47.375, lon: -2.65 } },
      { text: '2 Rue de la Gare', at: { lat: 47.25, lon: -2.65 } },
    ]);
  });

  it('keeps the list short', () => {
    const many = Array.from({ length: 30 }, (_, i) => at(`${i + 1} Rue ${i % 7}`, `Rue ${i % 7}`, i));
    const s = suggestionsOf(many);
    expect(s).toHaveLength(10);
    expect(s.filter((c) => !c.at)).toHaveLength(5);
  });
});
