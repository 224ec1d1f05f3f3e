import { SeededRandom } from './core/random';
import type { PlannerCrew, PlannerInput, PlannerReport, Priority, SupplyPoint } from './types';

/** Shape of a generated city. */
export interface SyntheticCityOptions {
  /** Seed: the same options always give the same city. */
  seed: number;
  /** Open reports to generate. */
  reports: number;
  /** Work types (at most 6 named ones, then "type-7", ...). */
  workTypes: number;
  /** Crews. */
  crews: number;
  /** Radius around the centre within which reports fall, km (default 15: a ~30 km wide area). */
  radiusKm?: number;
  /** Working day, minutes (default 480). */
  workingMinutes?: number;
}

const NAMES = ['pothole', 'signage', 'vegetation', 'drainage', 'marking', 'lighting'];
const CENTRE = { lat: 45.764, lon: 4.8357 };

/**
 * A reproducible metropolitan planning case (reports clustered around neighbourhoods, mixed
 * priorities and ages, specialised and general crews, a tar plant for potholes): what the benchmark
 * times and the property tests sample from, without shipping a data file.
 */
export function syntheticCity(options: SyntheticCityOptions): Omit<PlannerInput, 'seed' | 'timeBudgetMs'> {
  const rng = new SeededRandom(options.seed);
  const radius = options.radiusKm ?? 15;
  const workingMinutes = options.workingMinutes ?? 480;
  const types = Array.from({ length: options.workTypes }, (_, i) => NAMES[i] ?? `type-${i + 1}`);
  const kmLat = 1 / 111.2;
  const kmLon = 1 / (111.2 * Math.cos((CENTRE.lat * Math.PI) / 180));
  const at = (dxKm: number, dyKm: number): { lat: number; lon: number } => ({
    lat: CENTRE.lat + dyKm * kmLat,
    lon: CENTRE.lon + dxKm * kmLon,
  });
  // Neighbourhood centres: reports gather around them, as they do along busy streets.
  const hubs = Array.from({ length: 25 }, () => {
    const r = radius * Math.sqrt(rng.next());
    const a = rng.next() * 2 * Math.PI;
    return { x: r * Math.cos(a), y: r * Math.sin(a) };
  });
  const reports: PlannerReport[] = [];
  for (let i = 0; i < options.reports; i++) {
    let x: number;
    let y: number;
    if (rng.next() < 0.7) {
      const hub = hubs[rng.below(hubs.length)]!;
      x = hub.x + gaussian(rng) * 1.5;
      y = hub.y + gaussian(rng) * 1.5;
    } else {
      const r = radius * Math.sqrt(rng.next());
      const a = rng.next() * 2 * Math.PI;
      x = r * Math.cos(a);
      y = r * Math.sin(a);
    }
    const u = rng.next();
    const priority: Priority = u < 0.01 ? 'danger' : u < 0.15 ? 'high' : u < 0.7 ? 'normal' : 'low';
    reports.push({
      id: `r${i + 1}`,
      point: at(x, y),
      workType: types[rng.below(types.length)]!,
      serviceMinutes: 10 + rng.below(36),
      priority,
      ageDays: rng.below(120),
    });
  }
  const depots = [at(0, 0), at(-8, 5), at(7, -6)];
  const crews: PlannerCrew[] = Array.from({ length: options.crews }, (_, i) => ({
    id: `crew-${i + 1}`,
    // A third of the crews are general; the others handle two work types.
    workTypes: i % 3 === 0 ? undefined : [types[i % types.length]!, types[(i + 1) % types.length]!],
    workingMinutes,
    depot: depots[i % depots.length]!,
    speedKmh: 30,
  }));
  const supplyPoints: Record<string, SupplyPoint> = {};
  if (types.includes('pothole')) {
    supplyPoints.pothole = { point: at(4, 9), serviceMinutes: 20, name: 'Tar plant' };
  }
  return { date: '2026-03-02', reports, crews, supplyPoints };
}

/** Standard normal draw (Box-Muller), for neighbourhood spreads. */
function gaussian(rng: SeededRandom): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
