import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../server/src/plans/planner/core/local-search';
import { denseProblem, type VrpProblem } from '../../../server/src/plans/planner/core/problem';
import { SeededRandom } from '../../../server/src/plans/planner/core/random';
import { RuinRecreate } from '../../../server/src/plans/planner/core/ruin-recreate';
import { Solution } from '../../../server/src/plans/planner/core/solution';
import { solveVrp } from '../../../server/src/plans/planner/core/solve';
import { enforceTopTier } from '../../../server/src/plans/planner/core/tiers';

interface Tiny {
  matrix: Float64Array;
  size: number;
  demand: number[];
  capacity: number;
}

/** A small random instance; asymmetric travel when asked (one-way streets). */
function tinyInstance(seed: number, customers: number, asymmetric: boolean): Tiny {
  const rng = new SeededRandom(seed);
  const size = customers + 1;
  const x = Array.from({ length: size }, () => rng.below(100));
  const y = Array.from({ length: size }, () => rng.below(100));
  const matrix = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      if (a === b) continue;
      const d = Math.round(Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!));
      matrix[a * size + b] = asymmetric ? d + rng.below(15) : d;
    }
  }
  const demand = Array.from({ length: size }, (_, i) => (i === 0 ? 0 : 1 + rng.below(9)));
  return { matrix, size, demand, capacity: 15 };
}

/** Exact optimum by dynamic programming: best route per subset, then best partition into routes. */
function optimum(t: Tiny): number {
  const n = t.size - 1;
  const full = (1 << n) - 1;
  const d = (a: number, b: number): number => t.matrix[a * t.size + b]!;
  // path[mask][last]: cheapest depot -> ... -> last visiting exactly `mask` (customers 1..n as bits 0..n-1).
  const path = Array.from({ length: full + 1 }, () => new Float64Array(n).fill(Infinity));
  for (let i = 0; i < n; i++) path[1 << i]![i] = d(0, i + 1);
  for (let mask = 1; mask <= full; mask++) {
    for (let last = 0; last < n; last++) {
      const cost = path[mask]![last]!;
      if (!(mask & (1 << last)) || cost === Infinity) continue;
      for (let next = 0; next < n; next++) {
        if (mask & (1 << next)) continue;
        const m = mask | (1 << next);
        path[m]![next] = Math.min(path[m]![next]!, cost + d(last + 1, next + 1));
      }
    }
  }
  const route = new Float64Array(full + 1).fill(Infinity);
  for (let mask = 1; mask <= full; mask++) {
    let load = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) load += t.demand[i + 1]!;
    if (load > t.capacity) continue;
    for (let last = 0; last < n; last++)
      route[mask] = Math.min(route[mask]!, path[mask]![last]! + d(last + 1, 0));
  }
  const best = new Float64Array(full + 1).fill(Infinity);
  best[0] = 0;
  for (let mask = 1; mask <= full; mask++) {
    const low = mask & -mask;
    for (let sub = mask; sub > 0; sub = (sub - 1) & mask) {
      if (sub & low) best[mask] = Math.min(best[mask]!, route[sub]! + best[mask ^ sub]!);
    }
  }
  return best[full]!;
}

function tinyProblem(t: Tiny): VrpProblem {
  return denseProblem({
    matrix: t.matrix,
    size: t.size,
    depot: 0,
    demand: t.demand,
    vehicles: t.size - 1,
    capacity: t.capacity,
  }).problem;
}

describe('solveVrp', () => {
  it(
    'finds the proven optimum of small random instances, symmetric and asymmetric',
    { timeout: 30_000 },
    () => {
      for (let seed = 1; seed <= 8; seed++) {
        const t = tinyInstance(seed, 8, seed % 2 === 0);
        const result = solveVrp(tinyProblem(t), { seed, clock: () => 0, deadline: 1, iterationLimit: 600 });
        expect(result.solution.audit()).toBeNull();
        expect(result.solution.unservedPrize).toBe(0);
        expect(result.solution.totalCost()).toBe(optimum(t));
      }
    },
  );

  it('never uses more routes than vehicles, leaving customers out instead', () => {
    const t = tinyInstance(5, 8, false);
    const problem = denseProblem({
      matrix: t.matrix,
      size: t.size,
      depot: 0,
      demand: t.demand,
      vehicles: 1,
      capacity: t.capacity,
    }).problem;
    const s = solveVrp(problem, { seed: 1, clock: () => 0, deadline: 1, iterationLimit: 300 }).solution;
    expect(s.audit()).toBeNull();
    expect(s.usedRoutes()).toBe(1);
    expect(s.load[0]).toBeLessThanOrEqual(t.capacity);
    expect(s.servedCount).toBeLessThan(8);
  });

  it('respects a route duration limit counted with service times', () => {
    const t = tinyInstance(9, 8, false);
    const problem = denseProblem({
      matrix: t.matrix,
      size: t.size,
      depot: 0,
      demand: t.demand,
      service: Array.from({ length: t.size }, () => 10),
      vehicles: 8,
      capacity: 1000,
      maxDuration: 150,
    }).problem;
    const s = solveVrp(problem, { seed: 2, clock: () => 0, deadline: 1, iterationLimit: 500 }).solution;
    expect(s.audit()).toBeNull();
    for (let r = 0; r < problem.vehicleCount; r++) expect(s.duration(r)).toBeLessThanOrEqual(150 + 1e-9);
  });

  it('stops at the deadline of the injected clock', () => {
    const t = tinyInstance(4, 8, false);
    let now = 0;
    const clock = (): number => (now += 1);
    const result = solveVrp(tinyProblem(t), { seed: 1, clock, deadline: 500 });
    expect(result.iterations).toBeGreaterThan(0);
    // Each reading moves the clock by 1: it stops at the reading that passes 500, not later (the search
    // reads the clock every few iterations, so it did more iterations than readings).
    expect(now).toBeGreaterThanOrEqual(500);
    expect(now).toBeLessThanOrEqual(502);
    expect(result.iterations).toBeLessThan(4 * 500);
  });
});

describe('LocalSearch', () => {
  it('only improves the cost, keeps every customer and keeps routes feasible', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const t = tinyInstance(100 + seed, 8, seed % 2 === 1);
      const problem = tinyProblem(t);
      const rng = new SeededRandom(seed);
      const s = new Solution(problem);
      const rr = new RuinRecreate(problem, rng);
      rr.beginMove();
      rr.poolAllUnserved(s);
      rr.recreate(s);
      const before = s.totalCost();
      const served = s.servedCount;
      const gain = new LocalSearch(problem, rng).run(s, () => 0, 1);
      expect(s.audit()).toBeNull();
      expect(s.servedCount).toBe(served);
      expect(s.totalCost()).toBeCloseTo(before - gain, 9);
      expect(s.totalCost()).toBeLessThanOrEqual(before);
    }
  });
});

describe('RuinRecreate', () => {
  it('keeps the bookkeeping exact over many ruin and recreate moves', () => {
    const t = tinyInstance(77, 8, true);
    const problem = tinyProblem(t);
    const rng = new SeededRandom(3);
    const rr = new RuinRecreate(problem, rng);
    const s = new Solution(problem);
    rr.beginMove();
    rr.poolAllUnserved(s);
    rr.recreate(s);
    for (let i = 0; i < 300; i++) {
      rr.beginMove();
      rr.ruin(s);
      rr.offerUnserved(s, -1);
      rr.recreate(s);
      expect(s.audit()).toBeNull();
    }
  });
});

describe('enforceTopTier', () => {
  it('makes room for an unserved top-tier customer by dropping lower-tier ones', () => {
    // Depot at 0, four cheap customers at 1..4, a top-tier one at 20; a day of 45 fits the four
    // (round trip 8 + service) or the far one alone (40 + 2), not both.
    const xs = [0, 1, 2, 3, 4, 20];
    const size = xs.length;
    const matrix = new Float64Array(size * size);
    for (let a = 0; a < size; a++)
      for (let b = 0; b < size; b++) matrix[a * size + b] = Math.abs(xs[a]! - xs[b]!);
    const { problem } = denseProblem({
      matrix,
      size,
      depot: 0,
      demand: new Float64Array(size),
      service: [0, 2, 2, 2, 2, 2],
      prize: [0, 10, 10, 10, 10, 1000],
      optionalCustomers: true,
      vehicles: 1,
      capacity: Infinity,
      maxDuration: 45,
    });
    const rng = new SeededRandom(1);
    const rr = new RuinRecreate(problem, rng);
    const s = new Solution(problem);
    for (let c = 0; c < 4; c++) s.insert(0, c, c);
    expect(s.audit()).toBeNull();
    const top = Uint8Array.from([0, 0, 0, 0, 1]);
    enforceTopTier(s, rr, top);
    expect(s.audit()).toBeNull();
    expect(s.routeOf[4]).toBe(0);
    expect(s.duration(0)).toBeLessThanOrEqual(45);
  });
});
