import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../server/src/plans/planner/core/random';
import {
  crewTravelModels,
  defaultTravel,
  greatCircleMetres,
  matrixTravel,
} from '../../../server/src/plans/planner/travel';
import type { PlannerCrew } from '../../../server/src/plans/planner/types';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const LYON = { lat: 45.764, lon: 4.8357 };

describe('greatCircleMetres', () => {
  it('puts Paris and Lyon about 392 km apart', () => {
    expect(Math.abs(greatCircleMetres(PARIS, LYON) - 392_000)).toBeLessThan(1000);
  });

  it('is symmetric and zero on the same point', () => {
    expect(greatCircleMetres(LYON, PARIS)).toBeCloseTo(greatCircleMetres(PARIS, LYON), 6);
    expect(greatCircleMetres(LYON, LYON)).toBe(0);
  });

  it('measures one degree of latitude as about 111.2 km', () => {
    const d = greatCircleMetres({ lat: 45, lon: 4 }, { lat: 46, lon: 4 });
    expect(d).toBeGreaterThan(111_100);
    expect(d).toBeLessThan(111_300);
  });
});

describe('defaultTravel', () => {
  it('drives the great-circle distance times 1.3 at the given speed', () => {
    const travel = defaultTravel({ speedKmh: 30 });
    const metres = greatCircleMetres(PARIS, LYON) * 1.3;
    expect(travel.metres(PARIS, LYON)).toBeCloseTo(metres, 3);
    expect(travel.minutes(PARIS, LYON)).toBeCloseTo((metres / 30_000) * 60, 6);
    expect(defaultTravel({ speedKmh: 60, detourFactor: 1 }).minutes(PARIS, LYON)).toBeCloseTo(
      greatCircleMetres(PARIS, LYON) / 1000,
      6,
    );
  });

  it('gives the same matrix in bulk as pair by pair', () => {
    const travel = defaultTravel({ speedKmh: 25 });
    const rng = new SeededRandom(7);
    const points = Array.from({ length: 60 }, () => ({
      lat: 45.6 + rng.next() * 0.3,
      lon: 4.7 + rng.next() * 0.3,
    }));
    points.push(PARIS);
    const matrix = travel.minutesMatrix!(points);
    for (let i = 0; i < points.length; i++) {
      for (let j = 0; j < points.length; j++) {
        const expected = travel.minutes(points[i]!, points[j]!);
        expect(Math.abs(matrix[i * points.length + j]! - expected)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, expected),
        );
      }
    }
  });

  it('rejects a non-positive speed', () => {
    expect(() => defaultTravel({ speedKmh: 0 })).toThrow(RangeError);
  });
});

describe('matrixTravel', () => {
  const a = { lat: 45.1, lon: 4.1 };
  const b = { lat: 45.2, lon: 4.2 };
  const c = { lat: 45.3, lon: 4.3 };
  const model = matrixTravel({
    locations: [a, b, c],
    minutes: [0, 5, Infinity, 6, 0, 7, 8, 9, 0],
    metres: [0, 500, 0, 600, 0, 700, 800, 900, 0],
  });

  it('looks points up by exact coordinates, asymmetric values included', () => {
    expect(model.minutes(a, b)).toBe(5);
    expect(model.minutes(b, a)).toBe(6);
    expect(model.metres(c, b)).toBe(900);
    expect(model.minutesMatrix!([c, a])).toEqual(Float64Array.from([0, 8, Infinity, 0]));
  });

  it('treats unknown points and missing arcs as unreachable', () => {
    expect(model.minutes(a, c)).toBe(Infinity);
    expect(model.minutes(a, { lat: 0, lon: 0 })).toBe(Infinity);
  });

  it('checks the table size', () => {
    expect(() => matrixTravel({ locations: [a, b], minutes: [0, 1, 2] })).toThrow(RangeError);
  });
});

describe('crewTravelModels', () => {
  it('shares one default model between crews of equal speed', () => {
    const crew = (id: string, speedKmh: number): PlannerCrew => ({
      id,
      workingMinutes: 480,
      depot: LYON,
      speedKmh,
    });
    const models = crewTravelModels({ crews: [crew('a', 30), crew('b', 30), crew('c', 40)] });
    expect(models[0]).toBe(models[1]);
    expect(models[0]).not.toBe(models[2]);
  });
});
