import { buildSavings, buildSequential, reassignRoute, savingsApplies } from './construct';
import { REDUCTION_STALL, reduceFleet, routeLowerBound } from './fleet';
import { LocalSearch } from './local-search';
import type { VrpProblem } from './problem';
import { SeededRandom } from './random';
import { DEFAULT_RUIN_RECREATE, RuinRecreate, type RuinRecreateOptions } from './ruin-recreate';
import { RouteBuilder } from './route-builder';
import { Solution } from './solution';

/** Iterations between two readings of the clock in the improvement search. */
const CLOCK_STRIDE = 4;

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
  /**
   * Starting temperature, as a fraction of the average arc cost of the first solution (default 0.3
   * with mandatory customers, 1 with optional ones).
   */
  startTemperature?: number;
  /** Final temperature, same unit. */
  endTemperature?: number;
  /**
   * Probability, for problems with optional customers, of emptying a random vehicle's route and
   * rebuilding it, for a random group it may serve, from a promising unserved customer: how a crew
   * changes work type or area.
   */
  routeRuinRate?: number;
  /** Cost units per unit of prize during annealing with optional customers (default: see prizeWeight). */
  prizeWeight?: number;
  /** SISR tuning. */
  ruinRecreate?: Partial<RuinRecreateOptions>;
  /** Number of starting solutions built before the improvement search (time permitting). */
  constructions?: number;
  /**
   * Which search solutions local search polishes, around the routes the move touched: every candidate
   * ('every', the default with mandatory customers: on the CVRP benchmark at 200 ms it beat ten times
   * as many unpolished iterations), every new best ('best', the default with optional customers, where
   * polishing every candidate made no difference), or none.
   */
  polish?: 'best' | 'every' | 'none';
  /** Share of the budget fleet reduction may use (0 disables it). */
  fleetReductionShare?: number;
  /** Elapsed share of the budget at which fleet reduction is tried (0: right after the constructions). */
  fleetReductionAt?: number;
  /** Share of the budget the annealing spends within a reduced fleet before judging it. */
  fleetTrialShare?: number;
  /** Neighbours the local search looks at per customer. */
  granularity?: number;
}

/** What the search found and what it cost. */
export interface SolveResult {
  /** Best solution found (lexicographic: unserved prize, then travel cost). */
  solution: Solution;
  /** Ruin-and-recreate iterations performed. */
  iterations: number;
  /** Routes removed by fleet reduction. */
  fleetReductions: number;
  /** Times the search found a new best solution. */
  improvements: number;
  /** Cost of the best construction, before the improvement search. */
  constructionCost: number;
  /** Time spent building and polishing the starting solutions. */
  constructionMs: number;
}

/**
 * Finds good routes for `problem`: several constructions (savings with different shapes for CVRP,
 * route-by-route building for crew rounds), each polished by local search; then, from the best, SISR
 * ruin-and-recreate polished by granular local search, under simulated annealing whose temperature
 * falls with the elapsed fraction of the budget (or of the iteration limit). With optional customers a
 * route is now and then rebuilt elsewhere or for another group; with mandatory ones, fleet reduction
 * is tried once the search has settled.
 */
export function solveVrp(problem: VrpProblem, options: SolveOptions): SolveResult {
  const { clock, deadline } = options;
  const startedAt = clock();
  const rng = new SeededRandom(options.seed);
  const rr = new RuinRecreate(problem, rng, { ...DEFAULT_RUIN_RECREATE, ...options.ruinRecreate });
  const ls = new LocalSearch(problem, rng, options.granularity ?? 20);
  const limit = options.iterationLimit ?? Infinity;
  const polish = options.polish ?? (problem.optionalCustomers ? 'best' : 'every');
  const builder = problem.optionalCustomers ? new RouteBuilder(problem, rng) : undefined;

  const empty = new Solution(problem);
  const best = new Solution(problem);
  const trial = new Solution(problem);
  // Constructions get at most a fifth of the budget: the improvement search is where quality comes from.
  const constructionDeadline = startedAt + (deadline - startedAt) * 0.2;
  const lambdas = savingsApplies(problem) ? [1, 1.4, 0.8, 1.2, 1.6, 0.6] : [];
  const attempts = options.constructions ?? Math.max(lambdas.length, 2);
  let attempt = 0;
  do {
    trial.copyFrom(empty);
    if (attempt < lambdas.length) {
      buildSavings(trial, rr, rng, lambdas[attempt]!, attempt === 0 ? 0 : 0.1);
    } else if (builder) {
      // Crew rounds: one full route at a time, each vehicle taking the group where it serves most.
      buildSequential(trial, builder, attempt);
      rr.beginMove();
      rr.poolAllUnserved(trial);
      rr.recreate(trial, 'prize', 0);
    } else {
      rr.beginMove();
      rr.poolAllUnserved(trial);
      rr.recreate(trial);
    }
    ls.run(trial, clock, deadline);
    if (attempt === 0 || trial.compare(best) < 0) best.copyFrom(trial);
    attempt++;
  } while (attempt < attempts && clock() < constructionDeadline);
  const constructionCost = best.totalCost();
  const constructionMs = clock() - startedAt;
  let fleetReductions = 0;

  const current = new Solution(problem);
  current.copyFrom(best);
  // Fleet reduction: once the constructions are done (at `fleetReductionAt` of the budget), if the best
  // uses more routes than the bin-packing bound, look for a solution with one route less (and then one
  // less again, within `fleetReductionShare` of the budget), and anneal within that smaller fleet for
  // `fleetTrialShare` of the budget. If the smaller fleet has not beaten the old best by then (some
  // instances are cheaper with a route more), go back to the old best with the fleet free again.
  // Annealing on cost alone rarely removes a route.
  const lowerBound = routeLowerBound(best);
  const reductionShare = options.fleetReductionShare ?? 0.3;
  const reductionAt = options.fleetReductionAt ?? 0;
  const trialShare = options.fleetTrialShare ?? 0.2;
  let reductionDone = lowerBound === 0 || reductionShare <= 0;
  /** Fraction of the budget at which the smaller fleet is judged; Infinity when there is none on trial. */
  let trialEndsAt = Infinity;
  let fleetCap = Infinity;
  trial.copyFrom(current);
  let currentCost = current.totalCost();
  let bestCost = best.totalCost();

  const arcs = Math.max(1, current.servedCount + current.usedRoutes());
  const avgArc = Math.max(1e-9, currentCost / arcs);
  // With every customer mandatory (CVRP), a cooler start left more of a short budget to descending:
  // measured over the benchmark at 2,500 iterations, mean gap 0.61 % against 0.70 % from 1.0.
  const t0 = (options.startTemperature ?? (problem.optionalCustomers ? 1 : 0.3)) * avgArc;
  const t1 = (options.endTemperature ?? 0.01) * avgArc;
  // With optional customers the annealing works on cost + λ x unserved prize, so that it may give up a
  // little value to escape a local optimum; the best solution is still kept lexicographically.
  const optional = problem.optionalCustomers;
  const lambda = optional ? (options.prizeWeight ?? prizeWeight(current)) : 0;
  const reseedRate = optional ? (options.routeRuinRate ?? 0.05) : 0;
  const budget = Math.max(1e-9, deadline - startedAt);
  let iterations = 0;
  let improvements = 0;
  let now = clock();
  for (;;) {
    // The clock is read every CLOCK_STRIDE iterations (an iteration is a fraction of a millisecond):
    // a process CPU-time clock costs microseconds per reading, which polled every iteration was a
    // quarter of the search's time on the benchmark.
    if (iterations % CLOCK_STRIDE === 0) now = clock();
    if (now >= deadline || iterations >= limit) break;
    const timeFraction = (now - startedAt) / budget;
    const fraction = Math.min(1, Math.max(timeFraction, limit === Infinity ? 0 : iterations / limit));
    const temperature = t0 * Math.pow(t1 / t0, fraction);
    iterations++;
    if (!reductionDone && fraction >= reductionAt) {
      reductionDone = true;
      const phaseEnd = Math.min(deadline, now + budget * reductionShare);
      const cap = limit === Infinity ? Infinity : limit * reductionShare;
      let from = best;
      while (from.usedRoutes() > lowerBound) {
        const reduced = reduceFleet(from, rr, rng, clock, phaseEnd, cap, REDUCTION_STALL, ls);
        if (!reduced) break;
        ls.run(reduced, clock, deadline);
        current.copyFrom(reduced);
        trial.copyFrom(reduced);
        currentCost = current.totalCost();
        fleetReductions++;
        fleetCap = reduced.usedRoutes();
        if (current.compare(best) < 0) {
          best.copyFrom(current);
          bestCost = currentCost;
        }
        from = reduced;
      }
      if (fleetCap !== Infinity) {
        // At a high temperature the annealing would reopen a route long before the reduced solution is
        // polished enough to show what the smaller fleet is worth: it stays closed during the trial.
        rr.maxRoutes = fleetCap;
        trialEndsAt = Math.max(fraction, (clock() - startedAt) / budget) + trialShare;
      }
    }
    if (fraction >= trialEndsAt) {
      trialEndsAt = Infinity;
      if (best.usedRoutes() > fleetCap) {
        // The old fleet's best is still the best: back to it, with every route available.
        current.copyFrom(best);
        trial.copyFrom(best);
        currentCost = bestCost;
        rr.maxRoutes = Infinity;
      }
    }

    rr.beginMove();
    let seed = -1;
    if (optional && rng.next() < reseedRate) seed = reassignRoute(trial, rr, builder!, rng);
    if (seed < 0) rr.ruin(trial);
    rr.offerUnserved(trial, optional ? (seed >= 0 ? seed : randomUnserved(trial, rng)) : -1);
    rr.recreate(trial);

    if (polish === 'every') {
      ls.run(trial, clock, deadline, rr.touched, rr.touchedCount);
      for (let i = 0; i < ls.changedCount; i++) rr.touch(ls.changed[i]!);
    }
    const trialCost = trial.totalCost();
    const slack = -temperature * Math.log(rng.next());
    let accept: boolean;
    if (optional) {
      accept = lambda * (trial.unservedPrize - current.unservedPrize) + trialCost - currentCost < slack;
    } else {
      const dPrize = trial.unservedPrize - current.unservedPrize;
      accept = dPrize < 0 || (dPrize === 0 && trialCost - currentCost < slack);
    }
    if (accept) {
      current.syncRoutes(trial, rr.touched, rr.touchedCount);
      currentCost = trialCost;
      if (
        current.unservedPrize < best.unservedPrize ||
        (current.unservedPrize === best.unservedPrize && currentCost < bestCost - 1e-9)
      ) {
        if (polish === 'best') {
          ls.run(current, clock, deadline, rr.touched, rr.touchedCount);
          trial.syncRoutes(current, ls.changed, ls.changedCount);
          currentCost = current.totalCost();
        }
        best.copyFrom(current);
        bestCost = currentCost;
        improvements++;
      }
    } else {
      trial.syncRoutes(current, rr.touched, rr.touchedCount);
    }
  }
  return { solution: best, iterations, improvements, fleetReductions, constructionCost, constructionMs };
}

/**
 * Cost units one unit of prize is worth during annealing: a served customer's typical prize is made to
 * weigh as much as its typical share of route duration, so that giving up a report to save that much
 * driving is a neutral move.
 */
function prizeWeight(s: Solution): number {
  const p = s.problem;
  const prizes = Array.from(p.prize).sort((a, b) => a - b);
  const median = prizes[prizes.length >> 1] ?? 1;
  let duration = 0;
  for (let r = 0; r < p.vehicleCount; r++) if (s.len[r]! > 0) duration += s.duration(r);
  const share = s.servedCount > 0 ? duration / s.servedCount : 1;
  return share / Math.max(1e-9, median);
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
