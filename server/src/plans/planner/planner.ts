import { LocalSearch } from './core/local-search';
import { withNeighbours, type VrpProblem } from './core/problem';
import { SeededRandom } from './core/random';
import { DEFAULT_RUIN_RECREATE, RuinRecreate } from './core/ruin-recreate';
import type { Solution } from './core/solution';
import { solveVrp } from './core/solve';
import { enforceTopTier } from './core/tiers';
import { crewTravelModels } from './travel';
import type {
  CrewPlan,
  GeoPoint,
  PlannedStop,
  PlannerInput,
  PlannerOutput,
  TravelModel,
  UnplannedReason,
  UnplannedReport,
} from './types';
import { timeRound } from './timing';
import { canDo } from './crews';
import { reportWeight, WEIGHT_SCALE } from './weights';

/** Default wall-clock budget of a planning call. */
export const DEFAULT_TIME_BUDGET_MS = 2000;
/** Default cap on the reports of one work type handed to the solver. */
export const DEFAULT_MAX_CANDIDATES_PER_WORK_TYPE = 1500;
/** Stand-in cost for unreachable arcs: finite (no NaN from Infinity - Infinity), far above any day. */
const UNREACHABLE_MINUTES = 1e7;
/** Share of the budget kept for the final repair, fill and polish passes. */
const FINISHING_SHARE = 0.05;

/** Everything the planner derives from one input before solving. */
interface Prepared {
  /** Work types in order of first appearance: group g of the problem is workTypes[g]. */
  workTypes: string[];
  /** Travel model of each crew (vehicle). */
  models: TravelModel[];
  /** The core problem: candidates, terminals, matrices, crews as vehicles. */
  problem: VrpProblem;
  /** Report index of each customer node. */
  reportOf: Int32Array;
  /** Why each report is out before the search even starts (null: a candidate). */
  reason: (UnplannedReason | null)[];
  /** Weight of each report. */
  weights: Float64Array;
  /** Customers in the danger tier. */
  top: Uint8Array;
}

/**
 * Builds today's crew rounds: which crew does which work type, which reports each crew serves and in
 * which order. Objective, lexicographic: serve the most weight (danger reports as a tier above all
 * else, then priority x age), then drive the least. Pure: no I/O, clock and randomness injected.
 */
export function planRounds(input: PlannerInput): PlannerOutput {
  const clock = input.clock ?? (() => performance.now());
  const startedAt = clock();
  const budget = input.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const seed = input.seed ?? 1;
  validateInput(input);
  const prepared = prepare(input);
  const { problem } = prepared;

  let solution: Solution | undefined;
  let iterations = 0;
  if (problem.customerCount > 0 && problem.vehicleCount > 0) {
    const solveDeadline = startedAt + budget * (1 - FINISHING_SHARE);
    const result = solveVrp(problem, {
      seed,
      clock,
      deadline: solveDeadline,
      iterationLimit: input.iterationLimit,
      constructions: 2,
      // Only a few routes hold a report's neighbours; scanning those first pays with 20 crews.
      ruinRecreate: { insertionNeighbours: 16 },
    });
    solution = result.solution;
    iterations = result.iterations;
    finish(solution, prepared.top, seed, clock, startedAt + budget);
  }
  return buildOutput(input, prepared, solution, iterations, clock() - startedAt);
}

/** Rejects inputs that would make the plans meaningless rather than planning garbage. */
function validateInput(input: PlannerInput): void {
  const ids = new Set<string>();
  for (const r of input.reports) {
    if (ids.has(r.id)) throw new RangeError(`report ${r.id} appears twice`);
    ids.add(r.id);
    if (!validPoint(r.point)) throw new RangeError(`report ${r.id} has an invalid point`);
    if (!(r.serviceMinutes >= 0) || !Number.isFinite(r.serviceMinutes)) {
      throw new RangeError(`report ${r.id} has invalid serviceMinutes`);
    }
  }
  const crewIds = new Set<string>();
  for (const c of input.crews) {
    if (crewIds.has(c.id)) throw new RangeError(`crew ${c.id} appears twice`);
    crewIds.add(c.id);
    if (!validPoint(c.depot)) throw new RangeError(`crew ${c.id} has an invalid depot`);
    if (!(c.workingMinutes >= 0)) throw new RangeError(`crew ${c.id} has invalid workingMinutes`);
  }
  for (const [type, s] of Object.entries(input.supplyPoints ?? {})) {
    if (!validPoint(s.point) || !(s.serviceMinutes >= 0))
      throw new RangeError(`supply point of ${type} is invalid`);
  }
}

function validPoint(p: GeoPoint): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

/** Rounds travel up to the next 32-bit float, so that stored arcs never understate a real one. */
function storedMinutes(x: number): number {
  if (!Number.isFinite(x) || x < 0 || x >= UNREACHABLE_MINUTES) return UNREACHABLE_MINUTES;
  return Math.fround(x * (1 + 2.4e-7));
}

/** Turns the input into the core solver's problem: candidates, terminals, matrices, vehicles, prizes. */
function prepare(input: PlannerInput): Prepared {
  const reports = input.reports;
  const crews = input.crews;
  const models = crewTravelModels(input);
  const workTypes: string[] = [];
  const typeIndex = new Map<string, number>();
  for (const r of reports) {
    if (!typeIndex.has(r.workType)) {
      typeIndex.set(r.workType, workTypes.length);
      workTypes.push(r.workType);
    }
  }
  const G = workTypes.length;
  const V = crews.length;
  const supply = workTypes.map((t) => input.supplyPoints?.[t]);

  // Per vehicle and group: can it work there, from where, at what fixed cost.
  const compatible = new Uint8Array(V * G);
  const fixedCost = new Float64Array(V * G);
  const fixedExtra = new Float64Array(V * G);
  for (let v = 0; v < V; v++) {
    for (let g = 0; g < G; g++) {
      const crew = crews[v]!;
      if (!canDo(crew, workTypes[g]!)) continue;
      const s = supply[g];
      const toSupply = s ? models[v]!.minutes(crew.depot, s.point) : 0;
      if (!Number.isFinite(toSupply) || toSupply < 0) continue;
      compatible[v * G + g] = 1;
      fixedCost[v * G + g] = s ? storedMinutes(toSupply) : 0;
      fixedExtra[v * G + g] = s ? s.serviceMinutes : 0;
    }
  }

  const weights = new Float64Array(reports.length);
  const reason: (UnplannedReason | null)[] = reports.map(() => null);
  const byGroup: number[][] = workTypes.map(() => []);
  reports.forEach((r, i) => {
    weights[i] = reportWeight(r.priority, r.ageDays);
    const g = typeIndex.get(r.workType)!;
    let anyCrew = false;
    let reachable = false;
    let fits = false;
    for (let v = 0; v < V && !fits; v++) {
      if (!canDo(crews[v]!, r.workType)) continue;
      anyCrew = true;
      if (!compatible[v * G + g]) continue;
      const crew = crews[v]!;
      const from = supply[g]?.point ?? crew.depot;
      const out = models[v]!.minutes(from, r.point);
      const back = models[v]!.minutes(r.point, crew.depot);
      if (!Number.isFinite(out) || !Number.isFinite(back) || out < 0 || back < 0) continue;
      reachable = true;
      const alone = fixedCost[v * G + g]! + out + back + r.serviceMinutes + fixedExtra[v * G + g]!;
      if (alone <= crew.workingMinutes) fits = true;
    }
    if (!anyCrew) reason[i] = 'no_crew_for_work_type';
    else if (!reachable) reason[i] = 'unreachable';
    else if (!fits) reason[i] = 'longer_than_a_day';
    else byGroup[g]!.push(i);
  });

  // The most valuable candidates of each work type, danger first.
  const cap = input.maxCandidatesPerWorkType ?? DEFAULT_MAX_CANDIDATES_PER_WORK_TYPE;
  for (const members of byGroup) {
    members.sort(
      (a, b) =>
        tierOf(reports[b]!.priority) - tierOf(reports[a]!.priority) || weights[b]! - weights[a]! || a - b,
    );
    for (const i of members.splice(cap)) reason[i] = 'does_not_fit_today';
  }

  // Nodes: customers group by group, then each group's terminals (depots of its crews, supply point).
  const customerCount = byGroup.reduce((a, m) => a + m.length, 0);
  const reportOf = new Int32Array(customerCount);
  const groupPoints: GeoPoint[][] = [];
  const groupNodes: number[][] = [];
  let node = 0;
  byGroup.forEach((members, g) => {
    groupPoints[g] = members.map((i) => reports[i]!.point);
    groupNodes[g] = members.map((i) => {
      reportOf[node] = i;
      return node++;
    });
  });
  const depotNode = new Int32Array(V * G).fill(-1);
  const startNode = new Int32Array(V * G).fill(-1);
  for (let g = 0; g < G; g++) {
    const terminals = new Map<string, number>();
    const addTerminal = (p: GeoPoint): number => {
      const key = `${p.lat},${p.lon}`;
      let id = terminals.get(key);
      if (id === undefined) {
        id = node++;
        terminals.set(key, id);
        groupPoints[g]!.push(p);
        groupNodes[g]!.push(id);
      }
      return id;
    };
    const supplyPoint = supply[g];
    const supplyNode = supplyPoint ? addTerminal(supplyPoint.point) : -1;
    for (let v = 0; v < V; v++) {
      if (!compatible[v * G + g]) continue;
      depotNode[v * G + g] = addTerminal(crews[v]!.depot);
      startNode[v * G + g] = supplyNode >= 0 ? supplyNode : depotNode[v * G + g]!;
    }
  }
  const nodeCount = node;
  const nodeGroup = new Int32Array(nodeCount);
  const rowBase = new Int32Array(nodeCount);
  const column = new Int32Array(nodeCount);
  let offset = 0;
  const blockOffset: number[] = [];
  for (let g = 0; g < G; g++) {
    const nodes = groupNodes[g]!;
    const m = nodes.length;
    blockOffset.push(offset);
    nodes.forEach((id, local) => {
      nodeGroup[id] = g;
      rowBase[id] = offset + local * m;
      column[id] = local;
    });
    offset += m * m;
  }

  // One matrix per distinct travel model, laid out block by block.
  const profiles = new Map<TravelModel, number>();
  const profile = new Int32Array(V);
  models.forEach((m, v) => {
    let k = profiles.get(m);
    if (k === undefined) profiles.set(m, (k = profiles.size));
    profile[v] = k;
  });
  const travel: Float32Array[] = [];
  let symmetric = true;
  for (const model of profiles.keys()) {
    const matrix = new Float32Array(offset);
    for (let g = 0; g < G; g++) {
      const points = groupPoints[g]!;
      const m = points.length;
      const base = blockOffset[g]!;
      const bulk = model.minutesMatrix ? model.minutesMatrix(points) : pairwise(model, points);
      for (let k = 0; k < m * m; k++) {
        const raw = bulk[k]!;
        // Rounded up like storedMinutes (storing into the Float32Array rounds to nearest), inlined: this
        // loop runs millions of times.
        matrix[base + k] = raw >= 0 && raw < UNREACHABLE_MINUTES ? raw * (1 + 2.4e-7) : UNREACHABLE_MINUTES;
      }
      for (let a = 0; a < m; a++) matrix[base + a * m + a] = 0;
      for (let a = 0; a < m && symmetric; a++) {
        for (let b = a + 1; b < m; b++) {
          if (matrix[base + a * m + b] !== matrix[base + b * m + a]) {
            symmetric = false;
            break;
          }
        }
      }
    }
    travel.push(matrix);
  }

  // Prizes: integer-scaled weights; danger reports get a tier bonus larger than all other prizes together.
  const prize = new Float64Array(customerCount);
  const top = new Uint8Array(customerCount);
  let ordinary = 0;
  for (let c = 0; c < customerCount; c++) {
    const i = reportOf[c]!;
    prize[c] = Math.max(1, Math.round(weights[i]! * WEIGHT_SCALE));
    if (reports[i]!.priority === 'danger') top[c] = 1;
    else ordinary += prize[c]!;
  }
  for (let c = 0; c < customerCount; c++) if (top[c]) prize[c] = prize[c]! + ordinary + 1;

  const service = new Float64Array(customerCount);
  for (let c = 0; c < customerCount; c++) service[c] = reports[reportOf[c]!]!.serviceMinutes;
  const endNode = depotNode;
  const problem = withNeighbours({
    customerCount,
    nodeCount,
    groupCount: G,
    vehicleCount: V,
    nodeGroup,
    rowBase,
    column,
    travel,
    symmetric,
    demand: new Float64Array(customerCount),
    service,
    prize,
    optionalCustomers: true,
    capacity: new Float64Array(V).fill(Infinity),
    maxDuration: Float64Array.from(crews, (c) => c.workingMinutes),
    profile,
    startNode,
    endNode,
    fixedCost,
    fixedExtra,
  });
  return {
    workTypes,
    models,
    problem,
    reportOf,
    reason,
    weights,
    top,
  };
}

/** Travel among points, one call per pair, for models without a bulk form. */
function pairwise(model: TravelModel, points: readonly GeoPoint[]): Float64Array {
  const m = points.length;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) if (a !== b) out[a * m + b] = model.minutes(points[a]!, points[b]!);
  return out;
}

function tierOf(priority: string): number {
  return priority === 'danger' ? 1 : 0;
}

/**
 * Last passes on the best solution: make the danger rule hold for certain, fill any room left with the
 * most valuable reports that fit, and polish the travel time.
 */
function finish(s: Solution, top: Uint8Array, seed: number, clock: () => number, deadline: number): void {
  const p = s.problem;
  const rng = new SeededRandom(seed ^ 0x5eed);
  const rr = new RuinRecreate(p, rng, { ...DEFAULT_RUIN_RECREATE, blinkRate: 0 });
  enforceTopTier(s, rr, top);
  const fill = (): void => {
    rr.beginMove();
    rr.poolAllUnserved(s);
    rr.recreate(s, 'prize', 0);
  };
  fill();
  new LocalSearch(p, rng).run(s, clock, deadline);
  fill();
}

/** Converts the solver's routes into plans with exact times from the travel models. */
function buildOutput(
  input: PlannerInput,
  prepared: Prepared,
  s: Solution | undefined,
  iterations: number,
  elapsedMs: number,
): PlannerOutput {
  const { reports, crews } = input;
  const planned = new Uint8Array(reports.length);
  const plans: CrewPlan[] = [];
  let travelTotal = 0;
  let servedWeight = 0;
  let dangerPlanned = 0;
  if (s) {
    for (let r = 0; r < crews.length; r++) {
      const n = s.len[r]!;
      if (n === 0) continue;
      const crew = crews[r]!;
      const model = prepared.models[r]!;
      const g = s.group[r]!;
      const workType = prepared.workTypes[g]!;
      const supply = input.supplyPoints?.[workType];
      const seq = Array.from({ length: n }, (_, i) => prepared.reportOf[s.seq[r * s.stride + i]!]!);
      const timing = timeRound(
        model,
        crew.depot,
        crew.workingMinutes,
        supply,
        seq.map((i) => reports[i]!),
      );
      let weight = 0;
      for (const i of seq) {
        planned[i] = 1;
        weight += prepared.weights[i]!;
        if (reports[i]!.priority === 'danger') dangerPlanned++;
      }
      const stops: PlannedStop[] = seq.map((i, k) => ({ reportId: reports[i]!.id, ...timing.stops[k]! }));
      const supplyStop: CrewPlan['supply'] =
        supply && timing.supply
          ? {
              name: supply.name,
              point: supply.point,
              serviceMinutes: supply.serviceMinutes,
              ...timing.supply,
            }
          : undefined;
      const travel = timing.travelMinutes;
      travelTotal += travel;
      servedWeight += weight;
      plans.push({
        crewId: crew.id,
        workType,
        date: input.date,
        supply: supplyStop,
        stops,
        returnTravelMinutes: timing.returnTravelMinutes,
        returnDistanceMetres: timing.returnDistanceMetres,
        travelMinutes: travel,
        serviceMinutes: timing.serviceMinutes,
        totalMinutes: timing.totalMinutes,
        distanceMetres: timing.distanceMetres,
        weight,
      });
    }
  }
  const unplanned: UnplannedReport[] = [];
  let totalWeight = 0;
  let dangerTotal = 0;
  reports.forEach((report, i) => {
    totalWeight += prepared.weights[i]!;
    if (report.priority === 'danger') dangerTotal++;
    if (!planned[i])
      unplanned.push({ reportId: report.id, reason: prepared.reason[i] ?? 'does_not_fit_today' });
  });
  return {
    date: input.date,
    plans,
    unplanned,
    stats: {
      servedWeight,
      totalWeight,
      dangerPlanned,
      dangerTotal,
      travelMinutes: travelTotal,
      iterations,
      elapsedMs,
    },
  };
}
