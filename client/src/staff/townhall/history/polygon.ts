/**
 * The "draw an area" tool of the history map, as a pure state machine (no Leaflet): the map
 * feeds it clicks and button presses, and shows what it holds. An area is finished with at
 * least three vertices and becomes the list's `area` filter (`lon,lat;lon,lat;...`).
 */

/** A vertex, WGS 84 degrees. */
export interface Vertex {
  lat: number;
  lon: number;
}

/** What the tool holds. */
export type PolygonState =
  { mode: 'idle' } | { mode: 'drawing'; vertices: Vertex[] } | { mode: 'done'; vertices: Vertex[] };

/** What can happen to it. */
export type PolygonAction =
  | { type: 'start' }
  | { type: 'add'; vertex: Vertex }
  | { type: 'undo' }
  | { type: 'finish' }
  | { type: 'cancel' }
  | { type: 'clear' }
  /** The area of the address (the filter changed from outside: back button, a link). */
  | { type: 'load'; vertices: Vertex[] | null };

/** The fewest vertices of an area, and the most (the API's limit). */
export const MIN_VERTICES = 3;
export const MAX_VERTICES = 200;

export const IDLE: PolygonState = { mode: 'idle' };

/** The next state; an action that does not apply leaves the state as it is (same object). */
export function polygonReducer(state: PolygonState, action: PolygonAction): PolygonState {
  switch (action.type) {
    case 'start':
      return state.mode === 'drawing' ? state : { mode: 'drawing', vertices: [] };
    case 'add': {
      if (state.mode !== 'drawing' || state.vertices.length >= MAX_VERTICES) return state;
      const last = state.vertices[state.vertices.length - 1];
      // A double click adds the same point twice: keep one.
      if (last && last.lat === action.vertex.lat && last.lon === action.vertex.lon) return state;
      return { mode: 'drawing', vertices: [...state.vertices, action.vertex] };
    }
    case 'undo':
      return state.mode === 'drawing' && state.vertices.length > 0
        ? { mode: 'drawing', vertices: state.vertices.slice(0, -1) }
        : state;
    case 'finish':
      return state.mode === 'drawing' && state.vertices.length >= MIN_VERTICES
        ? { mode: 'done', vertices: state.vertices }
        : state;
    case 'cancel':
      return state.mode === 'drawing' ? IDLE : state;
    case 'clear':
      return state.mode === 'idle' ? state : IDLE;
    case 'load':
      if (state.mode === 'drawing') return state;
      if (!action.vertices || action.vertices.length < MIN_VERTICES)
        return state.mode === 'idle' ? state : IDLE;
      if (state.mode === 'done' && sameVertices(state.vertices, action.vertices)) return state;
      return { mode: 'done', vertices: action.vertices };
  }
}

function sameVertices(a: readonly Vertex[], b: readonly Vertex[]): boolean {
  return a.length === b.length && a.every((v, i) => v.lat === b[i]!.lat && v.lon === b[i]!.lon);
}

/** Whether "finish" would close an area now. */
export function canFinish(state: PolygonState): boolean {
  return state.mode === 'drawing' && state.vertices.length >= MIN_VERTICES;
}

/** Six decimals: about 10 cm, and a short address. */
const fixed = (v: number) => String(Math.round(v * 1e6) / 1e6);

/** The `area` filter for the vertices (`lon,lat;lon,lat;...`, open ring: the API closes it). */
export function areaToParam(vertices: readonly Vertex[]): string {
  return vertices.map((v) => `${fixed(v.lon)},${fixed(v.lat)}`).join(';');
}

/** The vertices of an `area` filter, or null when it is not one (the API would refuse it). */
export function areaFromParam(param: string | undefined): Vertex[] | null {
  if (!param) return null;
  const vertices: Vertex[] = [];
  for (const pair of param.split(';')) {
    const parts = pair.split(',');
    if (parts.length !== 2) return null;
    const [lon, lat] = parts.map((p) => (/^[+-]?\d+(\.\d+)?$/.test(p.trim()) ? Number(p) : NaN)) as [
      number,
      number,
    ];
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
    vertices.push({ lat, lon });
  }
  // A closed ring (first vertex repeated at the end) is the same area.
  const [first, last] = [vertices[0], vertices[vertices.length - 1]];
  if (vertices.length > 1 && first && last && first.lat === last.lat && first.lon === last.lon)
    vertices.pop();
  return vertices.length >= MIN_VERTICES && vertices.length <= MAX_VERTICES ? vertices : null;
}
