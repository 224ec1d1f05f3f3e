import type { LocalSearch } from './local-search';
import type { RuinRecreate } from './ruin-recreate';
import type { SeededRandom } from './random';
import { Solution } from './solution';

/**
 * Fewest routes any solution can use when every customer is mandatory and vehicles share one capacity:
 * the bin-packing bound ceil(total demand / capacity). 0 when it does not apply.
 */
export function routeLowerBound(s: Solution): number {
  const p = s.problem;
  if (p.optionalCustomers || p.vehicleCount === 0) return 0;
  const capacity = p.capacity[0]!;
  for (let r = 1; r < p.vehicleCount; r++) if (p.capacity[r] !== capacity) return 0;
  if (!Number.isFinite(capacity) || capacity <= 0) return 0;
  let demand = 0;
  for (let c = 0; c < p.customerCount; c++) demand += p.demand[c]!;
  return Math.ceil(demand / capacity - 1e-9);
}

/**
 * Fewest iterations without serving one customer more after which a reduction is given up (more when
 * reaching the last progress took longer). Measured on the benchmark: feasible reductions, polished
 * as they go, never stalled that long; an impossible one (below the best fleet, X-n101-k25 to 25
 * routes) is left with one customer out after about a hundred iterations and stays there.
 */
export const REDUCTION_STALL = 500;

/**
 * Tries to serve every customer with one route less than `start` (SISR's fleet minimisation,
 * simplified): empty the lightest route, forbid opening a new one, then ruin and recreate with the
 * customers left out most often inserted first, accepting any candidate that leaves out fewer of them
 * (or ones left out less often). Routes cost much more than detours on most instances, so a cheaper
 * fleet is the biggest gain annealing on cost alone rarely finds. Returns the reduced solution, or
 * null if the clock passes `deadline` or `maxIterations` run out first.
 */
export function reduceFleet(
  start: Solution,
  rr: RuinRecreate,
  rng: SeededRandom,
  clock: () => number,
  deadline: number,
  maxIterations: number,
  maxStall: number = REDUCTION_STALL,
  ls?: LocalSearch,
): Solution | null {
  const p = start.problem;
  const current = new Solution(p);
  current.copyFrom(start);
  let lightest = -1;
  for (let r = 0; r < p.vehicleCount; r++) {
    if (current.len[r]! > 0 && (lightest < 0 || current.load[r]! < current.load[lightest]!)) lightest = r;
  }
  if (lightest < 0) return null;
  const target = current.usedRoutes() - 1;
  const absences = new Float64Array(p.customerCount);
  rr.absences = absences;
  rr.maxRoutes = target;
  rr.beginMove();
  rr.ruinRoute(current, lightest);
  rr.recreate(current, 'absence', 0);
  const trial = new Solution(p);
  trial.copyFrom(current);
  let mostServed = current.servedCount;
  let lastProgress = 0;
  try {
    for (let iteration = 0; current.servedCount < p.customerCount; iteration++) {
      // Stalled for longer than it took to get this far (and at least `maxStall`): an impossible
      // reduction stalls at one customer left out almost at once; a feasible one keeps its pace.
      if (iteration >= maxIterations || iteration - lastProgress > Math.max(maxStall, lastProgress))
        return null;
      // Reduction iterations are a few tens of microseconds: the clock is read every eighth.
      if ((iteration & 7) === 0 && clock() >= deadline) return null;
      rr.beginMove();
      rr.ruin(trial);
      rr.offerUnserved(trial, -1);
      rr.recreate(trial, rng.next() < 0.5 ? 'absence' : 'any');
      // SISR's rule: both sides scored with the same absence counts, those of before this trial; the
      // trial's left-out customers count one more absence only afterwards.
      const accept =
        trial.servedCount > current.servedCount ||
        absenceScore(trial, absences) < absenceScore(current, absences);
      for (let c = 0; c < p.customerCount; c++) if (trial.routeOf[c] === -1) absences[c] = absences[c]! + 1;
      if (accept && ls) {
        // Polish what is kept (only that: a tenth of the trials): the search for a smaller fleet
        // ignores cost, and unpolished it ends 10-30 % above where it started (X-n200-k36).
        ls.run(trial, clock, deadline, rr.touched, rr.touchedCount);
        for (let i = 0; i < ls.changedCount; i++) rr.touch(ls.changed[i]!);
      }
      if (accept) current.syncRoutes(trial, rr.touched, rr.touchedCount);
      else trial.syncRoutes(current, rr.touched, rr.touchedCount);
      if (current.servedCount > mostServed) {
        mostServed = current.servedCount;
        lastProgress = iteration;
      }
    }
    return current;
  } finally {
    rr.absences = undefined;
    rr.maxRoutes = Infinity;
  }
}

/** Sum of the absence counts of the unserved customers: lower means closer to serving them all. */
function absenceScore(s: Solution, absences: Float64Array): number {
  let score = 0;
  for (let c = 0; c < s.problem.customerCount; c++) if (s.routeOf[c] === -1) score += absences[c]!;
  return score;
}
