import type { GeoPoint, PlannerInput, TravelModel } from './types';

/** Mean Earth radius (IUGG), metres: the value PostGIS and most geodesy libraries use for spheres. */
export const EARTH_RADIUS_METRES = 6371008.8;

/** Roads are longer than straight lines; 1.3 is the usual urban/rural detour ratio. */
export const DEFAULT_DETOUR_FACTOR = 1.3;

const RAD = Math.PI / 180;

/**
 * Great-circle (haversine) distance in metres. The default travel model needs no road data, so Vigie
 * plans rounds even air-gapped; the detour factor accounts for roads not being straight.
 */
export function greatCircleMetres(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(s)));
}

/**
 * asin for the half-chord of a great circle: its Taylor series up to x^7 is exact to double precision
 * below 0.01 (hops under ~120 km, i.e. every hop of a commune's rounds) and much cheaper than Math.asin.
 */
function asinHalfChord(h: number): number {
  if (h >= 0.01) return Math.asin(h);
  const h2 = h * h;
  return h * (1 + h2 * (1 / 6 + h2 * (3 / 40 + h2 * (5 / 112))));
}

/** Settings of the default travel model. */
export interface DefaultTravelOptions {
  /** Average driving speed, km/h. */
  speedKmh: number;
  /** Road distance / straight-line distance; 1.3 by default. */
  detourFactor?: number;
}

/**
 * Travel model used when no road network is configured: great-circle distance x detour factor, driven
 * at a constant average speed. Its bulk matrix precomputes trigonometry per point, which is what makes
 * a 5,000-report planning run cheap.
 */
export function defaultTravel(options: DefaultTravelOptions): TravelModel {
  const detour = options.detourFactor ?? DEFAULT_DETOUR_FACTOR;
  if (!(options.speedKmh > 0)) throw new RangeError('speedKmh must be positive');
  if (!(detour >= 1)) throw new RangeError('detourFactor must be at least 1');
  const minutesPerMetre = 60 / (options.speedKmh * 1000);
  return {
    metres: (from, to) => greatCircleMetres(from, to) * detour,
    minutes: (from, to) => greatCircleMetres(from, to) * detour * minutesPerMetre,
    minutesMatrix(points) {
      // Chord length between unit vectors gives sin(θ/2) with one sqrt; asin by its series for short hops.
      const n = points.length;
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const lat = points[i]!.lat * RAD;
        const lon = points[i]!.lon * RAD;
        x[i] = Math.cos(lat) * Math.cos(lon);
        y[i] = Math.cos(lat) * Math.sin(lon);
        z[i] = Math.sin(lat);
      }
      const out = new Float64Array(n * n);
      const scale = 2 * EARTH_RADIUS_METRES * detour * minutesPerMetre;
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        const yi = y[i]!;
        const zi = z[i]!;
        for (let j = i + 1; j < n; j++) {
          const dx = xi - x[j]!;
          const dy = yi - y[j]!;
          const dz = zi - z[j]!;
          const h = Math.min(1, Math.sqrt(dx * dx + dy * dy + dz * dz) / 2);
          const v = scale * asinHalfChord(h);
          out[i * n + j] = v;
          out[j * n + i] = v;
        }
      }
      return out;
    },
  };
}

/** A precomputed travel table, e.g. the answer of OSRM `/table` (durations in seconds converted to minutes). */
export interface TravelMatrix {
  /** Locations in table order. */
  locations: readonly GeoPoint[];
  /** Row-major minutes, locations.length² values; non-finite or null-converted values mean unreachable. */
  minutes: ArrayLike<number>;
  /** Row-major metres, same layout; great-circle x detour when absent. */
  metres?: ArrayLike<number>;
}

/**
 * Wraps a precomputed table as a travel model, so a road-network provider plugs in without the planner
 * doing any I/O: fetch the table for every depot, supply point and report first, then pass this.
 * Points are matched by exact coordinates; a point missing from the table is unreachable.
 */
export function matrixTravel(matrix: TravelMatrix): TravelModel {
  const n = matrix.locations.length;
  if (matrix.minutes.length !== n * n) throw new RangeError('minutes must hold locations.length² values');
  if (matrix.metres && matrix.metres.length !== n * n)
    throw new RangeError('metres must hold locations.length² values');
  const index = new Map<string, number>();
  matrix.locations.forEach((p, i) => {
    const key = `${p.lat},${p.lon}`;
    if (!index.has(key)) index.set(key, i);
  });
  const find = (p: GeoPoint): number => index.get(`${p.lat},${p.lon}`) ?? -1;
  return {
    minutes(from, to) {
      const i = find(from);
      const j = find(to);
      if (i < 0 || j < 0) return Infinity;
      return i === j ? 0 : Number(matrix.minutes[i * n + j]);
    },
    metres(from, to) {
      const i = find(from);
      const j = find(to);
      if (matrix.metres && i >= 0 && j >= 0) return Number(matrix.metres[i * n + j]);
      return greatCircleMetres(from, to) * DEFAULT_DETOUR_FACTOR;
    },
    minutesMatrix(points) {
      const k = points.length;
      const rows = points.map(find);
      const out = new Float64Array(k * k);
      for (let a = 0; a < k; a++) {
        const i = rows[a]!;
        for (let b = 0; b < k; b++) {
          const j = rows[b]!;
          out[a * k + b] = i < 0 || j < 0 ? Infinity : i === j ? 0 : Number(matrix.minutes[i * n + j]);
        }
      }
      return out;
    },
  };
}

/**
 * The travel model of every crew of `input`, in crew order. Default models are shared between crews of
 * equal speed, so the planner builds one matrix per speed rather than one per crew.
 */
export function crewTravelModels(input: Pick<PlannerInput, 'crews' | 'travel'>): TravelModel[] {
  const { travel } = input;
  const bySpeed = new Map<number, TravelModel>();
  return input.crews.map((crew) => {
    if (typeof travel === 'function') return travel(crew);
    if (travel) return travel;
    let model = bySpeed.get(crew.speedKmh);
    if (!model) bySpeed.set(crew.speedKmh, (model = defaultTravel({ speedKmh: crew.speedKmh })));
    return model;
  });
}
