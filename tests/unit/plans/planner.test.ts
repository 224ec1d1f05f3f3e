import { describe, expect, it } from 'vitest';
import { checkPlan, roundMinutes } from '../../../server/src/plans/planner/check';
import { SeededRandom } from '../../../server/src/plans/planner/core/random';
import { planRounds } from '../../../server/src/plans/planner/planner';
import { syntheticCity } from '../../../server/src/plans/planner/synthetic';
import { defaultTravel } from '../../../server/src/plans/planner/travel';
import type {
  GeoPoint,
  PlannerCrew,
  PlannerInput,
  PlannerOutput,
  PlannerReport,
  Priority,
  TravelModel,
} from '../../../server/src/plans/planner/types';
import { reportWeight } from '../../../server/src/plans/planner/weights';

const CENTRE = { lat: 45.75, lon: 4.85 };

/** A point `dx` km east and `dy` km north of the centre. */
function at(dx: number, dy: number): GeoPoint {
  return {
    lat: CENTRE.lat + dy / 111.2,
    lon: CENTRE.lon + dx / (111.2 * Math.cos((CENTRE.lat * Math.PI) / 180)),
  };
}

/** A clock that advances by a fixed step on every reading: runs are reproducible to the bit. */
function steppingClock(stepMs = 0.01): () => number {
  let now = 0;
  return () => (now += stepMs);
}

/** Travel that refuses to reach a set of "island" points (a closed bridge, a private road). */
function withIslands(islands: Set<string>, base: (crew: PlannerCrew) => TravelModel) {
  const key = (p: GeoPoint): string => `${p.lat},${p.lon}`;
  const cache = new Map<TravelModel, TravelModel>();
  return (crew: PlannerCrew): TravelModel => {
    const inner = base(crew);
    let model = cache.get(inner);
    if (!model) {
      model = {
        minutes: (a, b) => (islands.has(key(a)) || islands.has(key(b)) ? Infinity : inner.minutes(a, b)),
        metres: (a, b) => inner.metres(a, b),
      };
      cache.set(inner, model);
    }
    return model;
  };
}

interface RandomCase {
  input: PlannerInput;
  islands: Set<string>;
  orphanType: string;
}

/** A random planning day: mixed crews, supply points, unreachable and oversized reports, danger. */
function randomCase(seed: number): RandomCase {
  const rng = new SeededRandom(seed);
  const types = ['pothole', 'signage', 'vegetation', 'drainage'].slice(0, 1 + rng.below(4));
  const orphanType = 'bridge';
  const islands = new Set<string>();
  const reports: PlannerReport[] = [];
  const count = 20 + rng.below(100);
  for (let i = 0; i < count; i++) {
    const point = at((rng.next() - 0.5) * 30, (rng.next() - 0.5) * 30);
    if (rng.next() < 0.05) islands.add(`${point.lat},${point.lon}`);
    const u = rng.next();
    const priority: Priority = u < 0.12 ? 'danger' : u < 0.3 ? 'high' : u < 0.7 ? 'normal' : 'low';
    reports.push({
      id: `r${i}`,
      point,
      workType: rng.next() < 0.04 ? orphanType : types[rng.below(types.length)]!,
      serviceMinutes: rng.next() < 0.03 ? 700 : 10 + rng.below(50),
      priority,
      ageDays: rng.below(200),
    });
  }
  const crews: PlannerCrew[] = Array.from({ length: 1 + rng.below(5) }, (_, i) => ({
    id: `c${i}`,
    workTypes: rng.next() < 0.4 ? undefined : types.filter(() => rng.next() < 0.6),
    workingMinutes: 180 + rng.below(300),
    depot: at((rng.next() - 0.5) * 10, (rng.next() - 0.5) * 10),
    speedKmh: 20 + rng.below(3) * 10,
  }));
  const supplyPoints: PlannerInput['supplyPoints'] =
    rng.next() < 0.6 ? { [types[0]!]: { point: at(5, 5), serviceMinutes: 15, name: 'Plant' } } : undefined;
  const models = new Map<number, TravelModel>();
  const base = (crew: PlannerCrew): TravelModel => {
    let m = models.get(crew.speedKmh);
    if (!m) models.set(crew.speedKmh, (m = defaultTravel({ speedKmh: crew.speedKmh })));
    return m;
  };
  return {
    islands,
    orphanType,
    input: { date: '2026-05-04', reports, crews, supplyPoints, travel: withIslands(islands, base), seed },
  };
}

function plannedIds(output: PlannerOutput): string[] {
  return output.plans.flatMap((p) => p.stops.map((s) => s.reportId));
}

describe('planRounds on random days', () => {
  const cases = Array.from({ length: 30 }, (_, k) => randomCase(1000 + k));

  it('keeps every rule the checker knows', { timeout: 30_000 }, () => {
    for (const { input } of cases) {
      const output = planRounds({ ...input, clock: steppingClock(), timeBudgetMs: 1e9, iterationLimit: 150 });
      expect(checkPlan(input, output)).toEqual([]);
    }
  });

  it('plans every report exactly once or lists it unplanned with its reason', { timeout: 30_000 }, () => {
    let checked = 0;
    for (const { input, islands, orphanType } of cases) {
      const output = planRounds({ ...input, clock: steppingClock(), timeBudgetMs: 1e9, iterationLimit: 150 });
      const ids = [...plannedIds(output), ...output.unplanned.map((u) => u.reportId)].sort();
      expect(ids).toEqual(input.reports.map((r) => r.id).sort());
      const reason = new Map(output.unplanned.map((u) => [u.reportId, u.reason]));
      const able = (workType: string): boolean =>
        input.crews.some((c) => !c.workTypes?.length || c.workTypes.includes(workType));
      let orphans = 0;
      for (const r of input.reports) {
        if (!able(r.workType)) {
          expect(reason.get(r.id)).toBe('no_crew_for_work_type');
          if (r.workType === orphanType) orphans++;
        } else if (islands.has(`${r.point.lat},${r.point.lon}`)) {
          expect(reason.get(r.id)).toBe('unreachable');
        } else {
          expect(reason.get(r.id)).not.toBe('no_crew_for_work_type');
          expect(reason.get(r.id)).not.toBe('unreachable');
        }
      }
      checked += orphans;
    }
    // The random days do exercise the "no crew" case.
    expect(checked).toBeGreaterThan(0);
  });

  it(
    'never plans a day longer than the crew works, supply visit and return included',
    { timeout: 30_000 },
    () => {
      for (const { input } of cases) {
        const output = planRounds({
          ...input,
          clock: steppingClock(),
          timeBudgetMs: 1e9,
          iterationLimit: 150,
        });
        const models = typeof input.travel === 'function' ? input.travel : () => input.travel as TravelModel;
        for (const plan of output.plans) {
          const crew = input.crews.find((c) => c.id === plan.crewId)!;
          const stops = plan.stops.map((s) => input.reports.find((r) => r.id === s.reportId)!);
          const total = roundMinutes(
            crew,
            models(crew),
            input.supplyPoints?.[plan.workType],
            stops.map((r) => r.point),
            stops.map((r) => r.serviceMinutes),
          );
          expect(total).toBeLessThanOrEqual(crew.workingMinutes + 1e-6);
          expect(plan.totalMinutes).toBeCloseTo(total, 6);
          // One material per round: every stop of the plan's work type, which the crew can do.
          expect(new Set(stops.map((r) => r.workType))).toEqual(new Set([plan.workType]));
          expect(!crew.workTypes?.length || crew.workTypes.includes(plan.workType)).toBe(true);
        }
        expect(new Set(output.plans.map((p) => p.crewId)).size).toBe(output.plans.length);
      }
    },
  );

  it('gives identical plans for the same input and seed', { timeout: 30_000 }, () => {
    for (const { input } of cases.slice(0, 8)) {
      const a = planRounds({ ...input, clock: steppingClock(), timeBudgetMs: 50 });
      const b = planRounds({ ...input, clock: steppingClock(), timeBudgetMs: 50 });
      expect(b).toEqual(a);
      // Wall clock too, when an iteration limit rather than time ends the search.
      const c = planRounds({ ...input, timeBudgetMs: 60_000, iterationLimit: 100 });
      const d = planRounds({ ...input, timeBudgetMs: 60_000, iterationLimit: 100 });
      expect({ ...d, stats: { ...d.stats, elapsedMs: 0 } }).toEqual({
        ...c,
        stats: { ...c.stats, elapsedMs: 0 },
      });
    }
  });
});

describe('planRounds priorities', () => {
  const travel = defaultTravel({ speedKmh: 30 });
  const crew: PlannerCrew = { id: 'c1', workingMinutes: 300, depot: CENTRE, speedKmh: 30 };
  const report = (id: string, point: GeoPoint, priority: Priority, serviceMinutes = 40): PlannerReport => ({
    id,
    point,
    workType: 'pothole',
    serviceMinutes,
    priority,
    ageDays: 0,
  });

  it('takes a far danger report even when old nearby reports outweigh it', () => {
    // Fifteen three-year-old 'high' reports (weight 4 x 37.5 each) outweigh one fresh danger report
    // (1000) that costs two hours of driving: only the danger tier makes the planner go there.
    const nearby = Array.from({ length: 15 }, (_, i) => ({
      ...report(`n${i}`, at(0.2 * i, 0.2), 'high', 15),
      ageDays: 1095,
    }));
    const danger = report('danger', at(18, -17), 'danger');
    const input: PlannerInput = { date: '2026-05-04', reports: [...nearby, danger], crews: [crew], travel };
    const output = planRounds({ ...input, iterationLimit: 200, timeBudgetMs: 60_000 });
    expect(plannedIds(output)).toContain('danger');
    expect(output.unplanned.length).toBeGreaterThan(0);
    expect(checkPlan(input, output)).toEqual([]);
  });

  it('moves a crew to the danger report’s work type when it cannot do both', () => {
    const signage = Array.from({ length: 6 }, (_, i) => ({
      ...report(`s${i}`, at(0.2 * i, 0), 'high'),
      workType: 'signage',
    }));
    const danger = report('danger', at(3, 3), 'danger');
    const input: PlannerInput = { date: '2026-05-04', reports: [...signage, danger], crews: [crew], travel };
    const output = planRounds({ ...input, iterationLimit: 100, timeBudgetMs: 60_000 });
    expect(output.plans).toHaveLength(1);
    expect(output.plans[0]!.workType).toBe('pothole');
    expect(plannedIds(output)).toContain('danger');
  });

  it('weighs danger above everything, then priority, and older reports more', () => {
    expect(reportWeight('danger', 0)).toBeGreaterThan(reportWeight('high', 365));
    expect(reportWeight('high', 0)).toBeGreaterThan(reportWeight('normal', 0));
    expect(reportWeight('normal', 0)).toBeGreaterThan(reportWeight('low', 0));
    expect(reportWeight('low', 120)).toBeGreaterThan(reportWeight('high', 0));
  });

  it('reports a danger report left out while a crew had room as a broken rule', () => {
    const input: PlannerInput = {
      date: '2026-05-04',
      reports: [report('low', at(1, 0), 'low'), report('danger', at(2, 0), 'danger')],
      crews: [crew],
      travel,
    };
    const output = planRounds({ ...input, iterationLimit: 50, timeBudgetMs: 60_000 });
    expect(checkPlan(input, output)).toEqual([]);
    // Tamper: drop the danger stop, keep the low one.
    const plan = output.plans[0]!;
    const tampered: PlannerOutput = {
      ...output,
      plans: [{ ...plan, stops: plan.stops.filter((s) => s.reportId !== 'danger') }],
      unplanned: [{ reportId: 'danger', reason: 'does_not_fit_today' }],
    };
    expect(checkPlan(input, tampered).join('\n')).toMatch(/danger report danger left out/);
  });
});

describe('planRounds itineraries', () => {
  const travel = defaultTravel({ speedKmh: 40 });

  it('visits the supply point first and times every stop from it', () => {
    const plant = at(6, 6);
    const reports: PlannerReport[] = Array.from({ length: 5 }, (_, i) => ({
      id: `p${i}`,
      point: at(i, -2),
      workType: 'pothole',
      serviceMinutes: 20,
      priority: 'normal',
      ageDays: 3,
    }));
    const crew: PlannerCrew = { id: 'c1', workingMinutes: 480, depot: CENTRE, speedKmh: 40 };
    const input: PlannerInput = {
      date: '2026-05-04',
      reports,
      crews: [crew],
      supplyPoints: { pothole: { point: plant, serviceMinutes: 25, name: 'Tar plant' } },
      travel,
    };
    const output = planRounds({ ...input, iterationLimit: 100, timeBudgetMs: 60_000 });
    const plan = output.plans[0]!;
    expect(plan.supply?.name).toBe('Tar plant');
    expect(plan.supply?.arrivalMinute).toBeCloseTo(travel.minutes(CENTRE, plant), 9);
    const first = reports.find((r) => r.id === plan.stops[0]!.reportId)!;
    expect(plan.stops[0]!.travelMinutes).toBeCloseTo(travel.minutes(plant, first.point), 9);
    expect(plan.stops[0]!.arrivalMinute).toBeCloseTo(
      plan.supply!.arrivalMinute + 25 + travel.minutes(plant, first.point),
      9,
    );
    for (let i = 1; i < plan.stops.length; i++) {
      const prev = plan.stops[i - 1]!;
      expect(plan.stops[i]!.arrivalMinute).toBeCloseTo(
        prev.arrivalMinute + prev.serviceMinutes + plan.stops[i]!.travelMinutes,
        9,
      );
    }
    expect(plan.stops).toHaveLength(5);
    expect(plan.serviceMinutes).toBe(25 + 5 * 20);
    expect(plan.totalMinutes).toBeCloseTo(plan.travelMinutes + plan.serviceMinutes, 9);
  });

  it('keeps each crew on one work type it is qualified for', () => {
    const reports: PlannerReport[] = ['signage', 'pothole', 'signage', 'pothole'].map((workType, i) => ({
      id: `r${i}`,
      point: at(i, 1),
      workType,
      serviceMinutes: 30,
      priority: 'normal',
      ageDays: 0,
    }));
    const crews: PlannerCrew[] = [
      { id: 'signs', workTypes: ['signage'], workingMinutes: 480, depot: CENTRE, speedKmh: 30 },
      { id: 'tar', workTypes: ['pothole'], workingMinutes: 480, depot: CENTRE, speedKmh: 30 },
    ];
    const output = planRounds({
      date: '2026-05-04',
      reports,
      crews,
      iterationLimit: 100,
      timeBudgetMs: 60_000,
    });
    const byCrew = new Map(output.plans.map((p) => [p.crewId, p]));
    expect(byCrew.get('signs')?.workType).toBe('signage');
    expect(byCrew.get('tar')?.workType).toBe('pothole');
    expect(output.unplanned).toEqual([]);
  });

  it('explains reports nobody can do, reach or fit in a day', () => {
    const crew: PlannerCrew = {
      id: 'c1',
      workTypes: ['pothole'],
      workingMinutes: 240,
      depot: CENTRE,
      speedKmh: 30,
    };
    const far = at(200, 0);
    const reports: PlannerReport[] = [
      { id: 'bridge', point: at(1, 1), workType: 'bridge', serviceMinutes: 30, priority: 'high', ageDays: 0 },
      { id: 'far', point: far, workType: 'pothole', serviceMinutes: 30, priority: 'high', ageDays: 0 },
      { id: 'huge', point: at(1, 0), workType: 'pothole', serviceMinutes: 600, priority: 'high', ageDays: 0 },
      {
        id: 'island',
        point: at(0, 1),
        workType: 'pothole',
        serviceMinutes: 10,
        priority: 'high',
        ageDays: 0,
      },
    ];
    const travel = withIslands(new Set([`${reports[3]!.point.lat},${reports[3]!.point.lon}`]), () =>
      defaultTravel({ speedKmh: 30 }),
    );
    const output = planRounds({ date: '2026-05-04', reports, crews: [crew], travel, iterationLimit: 20 });
    const reason = Object.fromEntries(output.unplanned.map((u) => [u.reportId, u.reason]));
    expect(reason).toEqual({
      bridge: 'no_crew_for_work_type',
      far: 'longer_than_a_day',
      huge: 'longer_than_a_day',
      island: 'unreachable',
    });
    expect(output.plans).toEqual([]);
  });
});

describe('planRounds time budget', () => {
  it('returns within its budget on a 1,500-report city', { timeout: 30_000 }, () => {
    const city = syntheticCity({ seed: 3, reports: 1500, workTypes: 6, crews: 8 });
    const started = performance.now();
    const output = planRounds({ ...city, seed: 1, timeBudgetMs: 400 });
    const elapsed = performance.now() - started;
    // Margin for a loaded machine: the budget is checked between iterations, never mid-move.
    expect(elapsed).toBeLessThan(400 + 250);
    expect(output.stats.elapsedMs).toBeLessThan(400 + 250);
    expect(output.stats.iterations).toBeGreaterThan(0);
    expect(checkPlan(city, output)).toEqual([]);
  });

  it('stops when the injected clock says the budget is spent', () => {
    const city = syntheticCity({ seed: 4, reports: 300, workTypes: 3, crews: 4 });
    let now = 0;
    let readings = 0;
    const clock = (): number => {
      readings++;
      return (now += 1);
    };
    const output = planRounds({ ...city, seed: 1, timeBudgetMs: 200, clock });
    expect(output.stats.elapsedMs).toBeLessThanOrEqual(200 + 20);
    expect(readings).toBeLessThan(400);
  });
});
