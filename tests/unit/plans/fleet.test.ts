import { describe, expect, it } from 'vitest';
import { reduceFleet, routeLowerBound } from '../../../server/src/plans/planner/core/fleet';
import { LocalSearch } from '../../../server/src/plans/planner/core/local-search';
import { denseProblem } from '../../../server/src/plans/planner/core/problem';
import { SeededRandom } from '../../../server/src/plans/planner/core/random';
import { DEFAULT_RUIN_RECREATE, RuinRecreate } from '../../../server/src/plans/planner/core/ruin-recreate';
import { solveVrp } from '../../../server/src/plans/planner/core/solve';

/**
 * 120 customers whose demands fill 20 vehicles to 98.75 % (the bin-packing bound is 20): the savings
 * construction needs 21 routes, and only a real fleet reduction finds 20, as on X-n200-k36.
 */
function tightInstance() {
  const rng = new SeededRandom(1);
  const n = 121;
  const x = Array.from({ length: n }, () => rng.below(1000));
  const y = Array.from({ length: n }, () => rng.below(1000));
  const demand = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 20 + rng.below(60)));
  const capacity = Math.ceil(demand.reduce((a, b) => a + b, 0) / 19.75);
  const matrix = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) matrix[a * n + b] = Math.round(Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!));
  return denseProblem({ matrix, size: n, depot: 0, demand, vehicles: 24, capacity }).problem;
}

describe('reduceFleet', () => {
  it('serves every customer with one route less on a tightly packed instance, polishing as it goes', () => {
    const problem = tightInstance();
    for (let seed = 1; seed <= 4; seed++) {
      const start = solveVrp(problem, {
        seed,
        clock: () => 0,
        deadline: 1,
        iterationLimit: 1,
        fleetReductionShare: 0,
      }).solution;
      expect(routeLowerBound(start)).toBe(20);
      expect(start.usedRoutes()).toBe(21);
      const rng = new SeededRandom(seed);
      const rr = new RuinRecreate(problem, rng, DEFAULT_RUIN_RECREATE);
      const reduced = reduceFleet(start, rr, rng, () => 0, 1, 2000, 1e9, new LocalSearch(problem, rng, 20));
      expect(reduced, `seed ${seed}`).not.toBeNull();
      expect(reduced!.usedRoutes()).toBe(20);
      expect(reduced!.servedCount).toBe(problem.customerCount);
      for (let r = 0; r < problem.vehicleCount; r++)
        expect(reduced!.load[r]).toBeLessThanOrEqual(problem.capacity[r]! + 1e-9);
      // Polished on the way: not the 30 % drift of an unpolished search for feasibility.
      expect(reduced!.totalCost()).toBeLessThan(start.totalCost() * 1.2);
      // The search left the route limit as it found it.
      expect(rr.maxRoutes).toBe(Infinity);
    }
  });

  it('gives up on a reduction below the best possible fleet after a stall, instead of searching on', () => {
    const problem = tightInstance();
    const start = solveVrp(problem, {
      seed: 1,
      clock: () => 0,
      deadline: 1,
      iterationLimit: 1,
      fleetReductionShare: 0,
    }).solution;
    const rng = new SeededRandom(1);
    const rr = new RuinRecreate(problem, rng, DEFAULT_RUIN_RECREATE);
    const once = reduceFleet(start, rr, rng, () => 0, 1, 2000, 1e9, new LocalSearch(problem, rng, 20))!;
    // 19 routes cannot carry the demand (bound 20): the stall rule ends it long before the cap.
    let readings = 0;
    const none = reduceFleet(once, rr, rng, () => readings++, 1e12, 1e9, 300);
    expect(none).toBeNull();
    expect(readings).toBeLessThan(400);
  });
});
