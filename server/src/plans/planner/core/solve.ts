import { buildSavings, savingsApplies } from './construct';
import { LocalSearch } from './local-search';
import type { VrpProblem } from './problem';
import { SeededRandom } from './random';
import { DEFAULT_RUIN_RECREATE, RuinRecreate, type RuinRecreateOptions } from './ruin-recreate';
import { Solution } from './solution';

/** How long and how the core solver searches. */
export interface SolveOptions {
  /** Seed of every random decision: same problem, seed and clock readings give the same solution. */
  seed: number;
  /** Monotonic milliseconds; injected so that tests control time. */
  clock: () => number;
  /** Clock reading after which the search stops and returns its best solution. */
  deadline: number;
  /** Ruin-and-recreate iterations after which the search stops even with time left (reproducible runs). */
  iterationLimit?: number;
  /** Starting temperature, as a fraction of the average arc cost of the first solution. */
  startTemperature?: number;
  /** Final temperature, same unit. */
  endTemperature?: number;
  /** Probability, for problems with optional customers, of emptying a whole route instead of strings. */
  routeRuinRate?: number;
  /** SISR tuning. */
  ruinRecreate?: Partial<RuinRecreateOptions>;
  /** Whether every new best solution is polished by local search. */
  polishBest?: boolean;
  /** Neighbours the local search looks at per customer. */
  granularity?: number;
}

/** What the search found and what it cost. */
export interface SolveResult {
  /** Best solution found (lexicographic: unserved prize, then travel cost). */
  solution: Solution;
  /** Ruin-and-recreate iterations performed. */
  iterations: number;
  /** Cost of the best construction, before the improvement search. */
  constructionCost: number;
}

/**
 * Finds good routes for `problem`: several constructions (savings with different shapes, greedy
 * insertions in different orders), each polished by local search; then, from the best, SISR
 * ruin-and-recreate under simulated annealing whose temperature falls with the elapsed fraction of the
 * budget; new best solutions are polished by local search as they appear.
 */
export function solveVrp(problem: VrpProblem, options: SolveOptions): SolveResult {
  const { clock, deadline } = options;
  const startedAt = clock();
  const rng = new SeededRandom(options.seed);
  const rr = new RuinRecreate(problem, rng, { ...DEFAULT_RUIN_RECREATE, ...options.ruinRecreate });
  const ls = new LocalSearch(problem, rng, options.granularity ?? 20);
  const limit = options.iterationLimit ?? Infinity;

  const best = new Solution(problem);
  const trial = new Solution(problem);
  let haveBest = false;
  const keep = (): void => {
    if (!haveBest || trial.compare(best) < 0) {
      best.copyFrom(trial);
      haveBest = true;
    }
  };
  // Constructions get at most a fifth of the budget: the improvement search is where quality comes from.
  const constructionDeadline = startedAt + (deadline - startedAt) * 0.2;
  const lambdas = savingsApplies(problem) ? [1, 1.4, 0.8, 1.2, 1.6, 0.6] : [];
  let attempt = 0;
  do {
    const fresh = new Solution(problem);
    trial.copyFrom(fresh);
    if (attempt < lambdas.length && attempt % 2 === 0) {
      buildSavings(trial, rr, rng, lambdas[attempt]!, attempt === 0 ? 0 : 0.1);
    } else if (attempt < lambdas.length) {
      buildSavings(trial, rr, rng, lambdas[attempt]!, 0.1);
    } else {
      rr.beginMove();
      rr.poolAllUnserved(trial);
      rr.recreate(trial);
    }
    ls.run(trial, clock, deadline);
    keep();
    attempt++;
  } while (attempt < Math.max(lambdas.length, 2) && clock() < constructionDeadline);
  const constructionCost = best.totalCost();

  const current = new Solution(problem);
  current.copyFrom(best);
  trial.copyFrom(best);
  let currentCost = current.totalCost();
  let bestCost = best.totalCost();
  const arcs = Math.max(1, current.servedCount + current.usedRoutes());
  const avgArc = Math.max(1e-9, currentCost / arcs);
  const t0 = (options.startTemperature ?? 0.1) * avgArc;
  const t1 = (options.endTemperature ?? 0.002) * avgArc;
  const routeRuinRate = problem.optionalCustomers ? (options.routeRuinRate ?? 0.05) : 0;
  const budget = Math.max(1e-9, deadline - startedAt);
  let iterations = 0;
  for (;;) {
    const now = clock();
    if (now >= deadline || iterations >= limit) break;
    const timeFraction = (now - startedAt) / budget;
    const fraction = Math.min(1, Math.max(timeFraction, limit === Infinity ? 0 : iterations / limit));
    const temperature = t0 * Math.pow(t1 / t0, fraction);
    iterations++;

    rr.beginMove();
    if (trial.servedCount > 0 && rng.next() < routeRuinRate) {
      rr.ruinRoute(trial, trial.routeOf[rr.randomServed(trial)]!);
    } else {
      rr.ruin(trial);
    }
    rr.offerUnserved(trial, problem.optionalCustomers ? randomUnserved(trial, rng) : -1);
    rr.recreate(trial);

    const trialCost = trial.totalCost();
    const dPrize = trial.unservedPrize - current.unservedPrize;
    const accept = dPrize < 0 || (dPrize === 0 && trialCost < currentCost - temperature * Math.log(rng.next()));
    if (accept) {
      current.syncRoutes(trial, rr.touched, rr.touchedCount);
      currentCost = trialCost;
      if (current.unservedPrize < best.unservedPrize || (current.unservedPrize === best.unservedPrize && currentCost < bestCost - 1e-9)) {
        if (options.polishBest ?? true) {
          ls.run(current, clock, deadline);
          trial.copyFrom(current);
          currentCost = current.totalCost();
        }
        best.copyFrom(current);
        bestCost = currentCost;
      }
    } else {
      trial.syncRoutes(current, rr.touched, rr.touchedCount);
    }
  }
  return { solution: best, iterations, constructionCost };
}

/** A random unserved customer, or -1 when none is found quickly (all or almost all served). */
function randomUnserved(s: Solution, rng: SeededRandom): number {
  const n = s.problem.customerCount;
  if (s.servedCount === n) return -1;
  for (let tries = 0; tries < 16; tries++) {
    const c = rng.below(n);
    if (s.routeOf[c] === -1) return c;
  }
  return -1;
}
