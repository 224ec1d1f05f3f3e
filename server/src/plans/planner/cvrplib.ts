import { denseProblem } from './core/problem';
import { solveVrp } from './core/solve';

/**
 * CVRPLIB support, so that the solver behind crew rounds is measured against published best-known
 * solutions instead of against itself. Parsing works on text (no file access here).
 */

/** A CVRPLIB instance (EUC_2D, one depot). */
export interface CvrpInstance {
  /** NAME field, e.g. "X-n101-k25". */
  name: string;
  /** Node count, depot included (DIMENSION). */
  dimension: number;
  /** Vehicle capacity. */
  capacity: number;
  /** Coordinates per node, file order (node k of the file at index k-1). */
  x: Float64Array;
  /** Coordinates per node, file order. */
  y: Float64Array;
  /** Demand per node, file order. */
  demand: Float64Array;
  /** Index (0-based, file order) of the depot. */
  depot: number;
}

/** A CVRPLIB solution: routes of customer numbers (1..n, the depot being 0) and the stated cost. */
export interface CvrpSolution {
  /** Routes as in the .sol file: customers numbered from 1 in file order, depot excluded. */
  routes: number[][];
  /** The `Cost` line, when present. */
  cost: number | undefined;
}

/** Parses a .vrp file (NODE_COORD_SECTION, DEMAND_SECTION, DEPOT_SECTION; EUC_2D only). */
export function parseCvrplib(text: string): CvrpInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const header = new Map<string, string>();
  let dimension = 0;
  let x = new Float64Array(0);
  let y = new Float64Array(0);
  let demand = new Float64Array(0);
  let depot = 0;
  let section = '';
  for (const line of lines) {
    if (line === '' || line === 'EOF') continue;
    const head = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (head && !line.endsWith('SECTION')) {
      header.set(head[1]!, head[2]!.trim());
      if (head[1] === 'DIMENSION') {
        dimension = Number(head[2]);
        x = new Float64Array(dimension);
        y = new Float64Array(dimension);
        demand = new Float64Array(dimension);
      }
      section = '';
      continue;
    }
    if (/^[A-Z_]+SECTION\b/.test(line)) {
      section = line.split(/\s+/)[0]!;
      continue;
    }
    const fields = line.split(/\s+/).map(Number);
    if (section === 'NODE_COORD_SECTION') {
      const k = fields[0]! - 1;
      x[k] = fields[1]!;
      y[k] = fields[2]!;
    } else if (section === 'DEMAND_SECTION') {
      demand[fields[0]! - 1] = fields[1]!;
    } else if (section === 'DEPOT_SECTION') {
      if (fields[0]! > 0) depot = fields[0]! - 1;
    }
  }
  const type = header.get('EDGE_WEIGHT_TYPE');
  if (type !== 'EUC_2D') throw new Error(`unsupported EDGE_WEIGHT_TYPE ${type ?? '(none)'}`);
  const capacity = Number(header.get('CAPACITY'));
  if (!(dimension > 1) || !(capacity > 0)) throw new Error('DIMENSION and CAPACITY are required');
  return { name: header.get('NAME') ?? 'unnamed', dimension, capacity, x, y, demand, depot };
}

/** Parses a .sol file ("Route #k: c1 c2 ..." lines and a "Cost X" line). */
export function parseCvrplibSolution(text: string): CvrpSolution {
  const routes: number[][] = [];
  let cost: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const route = /^Route\s*#\d+\s*:(.*)$/i.exec(line.trim());
    if (route) routes.push(route[1]!.trim().split(/\s+/).filter(Boolean).map(Number));
    const c = /^Cost\s+([\d.]+)/i.exec(line.trim());
    if (c) cost = Number(c[1]);
  }
  return { routes, cost };
}

/** TSPLIB EUC_2D rounding, the convention every published CVRPLIB cost uses. */
export function cvrpArc(instance: CvrpInstance, a: number, b: number): number {
  const dx = instance.x[a]! - instance.x[b]!;
  const dy = instance.y[a]! - instance.y[b]!;
  return Math.floor(Math.sqrt(dx * dx + dy * dy) + 0.5);
}

/**
 * Fleet size used by the benchmark: k from the name for the A, B and P sets (…-kN), and
 * `int(1 + 1.07 * total demand / capacity)` for the X set, the rule VROOM's scripts use.
 */
export function cvrpFleetSize(instance: CvrpInstance): number {
  let total = 0;
  for (let i = 0; i < instance.dimension; i++) if (i !== instance.depot) total += instance.demand[i]!;
  const k = /-k(\d+)/.exec(instance.name);
  if (k && !instance.name.startsWith('X')) return Number(k[1]);
  return Math.floor(1 + (1.07 * total) / instance.capacity);
}

/** Cost of routes (customer numbers 1..n) recomputed from rounded arcs, independent of the solver. */
export function cvrpRoutesCost(instance: CvrpInstance, routes: readonly (readonly number[])[]): number {
  let cost = 0;
  const node = (c: number): number => (c <= instance.depot ? c - 1 : c);
  for (const route of routes) {
    let prev = instance.depot;
    for (const c of route) {
      cost += cvrpArc(instance, prev, node(c));
      prev = node(c);
    }
    if (route.length > 0) cost += cvrpArc(instance, prev, instance.depot);
  }
  return cost;
}

/**
 * Lists what is wrong with routes (customer missing or repeated, capacity exceeded, too many routes);
 * empty when they form a valid CVRP solution. Kept apart from the solver so the benchmark does not
 * take the solver's word for it.
 */
export function validateCvrpRoutes(
  instance: CvrpInstance,
  routes: readonly (readonly number[])[],
  fleet: number,
): string[] {
  const problems: string[] = [];
  const n = instance.dimension - 1;
  const seen = new Int32Array(n + 1);
  const used = routes.filter((r) => r.length > 0);
  if (used.length > fleet) problems.push(`${used.length} routes for a fleet of ${fleet}`);
  used.forEach((route, k) => {
    let load = 0;
    for (const c of route) {
      if (!Number.isInteger(c) || c < 1 || c > n) {
        problems.push(`route ${k + 1}: unknown customer ${c}`);
        continue;
      }
      seen[c] = seen[c]! + 1;
      load += instance.demand[c <= instance.depot ? c - 1 : c]!;
    }
    if (load > instance.capacity)
      problems.push(`route ${k + 1}: load ${load} > capacity ${instance.capacity}`);
  });
  for (let c = 1; c <= n; c++) {
    if (seen[c] === 0) problems.push(`customer ${c} not served`);
    else if (seen[c]! > 1) problems.push(`customer ${c} served ${seen[c]} times`);
  }
  return problems;
}

/** Options of a CVRP run. */
export interface CvrpSolveOptions {
  /** Wall-clock budget, milliseconds. */
  timeBudgetMs: number;
  /** Seed of the search. */
  seed?: number;
  /** Fleet size; `cvrpFleetSize` by default. */
  fleet?: number;
  /** Monotonic clock in milliseconds; `performance.now` by default. */
  clock?: () => number;
  /** Stop after this many ruin-and-recreate iterations (reproducible runs). */
  iterationLimit?: number;
}

/** Result of a CVRP run. */
export interface CvrpRun {
  /** Non-empty routes, customer numbers 1..n as in CVRPLIB solutions. */
  routes: number[][];
  /** Cost recomputed from the routes with rounded arcs. */
  cost: number;
  /** Customers left out (the fleet was too small for what the search found). */
  unserved: number;
  /** Ruin-and-recreate iterations performed. */
  iterations: number;
}

/** Solves a CVRP instance with the planner's core solver: every customer mandatory, fleet limited. */
export function solveCvrp(instance: CvrpInstance, options: CvrpSolveOptions): CvrpRun {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const size = instance.dimension;
  const matrix = new Float64Array(size * size);
  for (let a = 0; a < size; a++)
    for (let b = 0; b < size; b++) matrix[a * size + b] = cvrpArc(instance, a, b);
  const fleet = options.fleet ?? cvrpFleetSize(instance);
  const { problem, customerNode } = denseProblem({
    matrix,
    size,
    depot: instance.depot,
    demand: instance.demand,
    vehicles: fleet,
    capacity: instance.capacity,
  });
  const result = solveVrp(problem, {
    seed: options.seed ?? 1,
    clock,
    deadline: startedAt + options.timeBudgetMs,
    iterationLimit: options.iterationLimit,
  });
  // Matrix node k is file node k+1; customer numbers count from 1 after the depot (depot first in files).
  const number = (node: number): number => (node < instance.depot ? node + 1 : node);
  const routes = result.solution
    .routes()
    .filter((r) => r.length > 0)
    .map((r) => r.map((c) => number(customerNode[c]!)));
  return {
    routes,
    cost: cvrpRoutesCost(instance, routes),
    unserved: problem.customerCount - result.solution.servedCount,
    iterations: result.iterations,
  };
}
