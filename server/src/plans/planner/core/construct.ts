import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import type { RuinRecreate } from './ruin-recreate';
import { FEASIBILITY_EPSILON, type Solution } from './solution';

/** Local copy of the feasibility slack (a module constant the engine can fold into hot loops). */
const EPS = FEASIBILITY_EPSILON;

/**
 * Whether the Clarke & Wright savings construction applies: one group and interchangeable vehicles
 * (same terminals, limits and travel profile), i.e. the CVRP benchmark shape.
 */
export function savingsApplies(p: VrpProblem): boolean {
  if (p.groupCount !== 1 || p.vehicleCount === 0) return false;
  for (let r = 1; r < p.vehicleCount; r++) {
    if (
      p.startNode[r] !== p.startNode[0] ||
      p.endNode[r] !== p.endNode[0] ||
      p.capacity[r] !== p.capacity[0] ||
      p.maxDuration[r] !== p.maxDuration[0] ||
      p.profile[r] !== p.profile[0] ||
      p.fixedCost[r] !== p.fixedCost[0] ||
      p.fixedExtra[r] !== p.fixedExtra[0]
    ) {
      return false;
    }
  }
  return p.startNode[0]! >= 0;
}

/**
 * Clarke & Wright parallel savings with a shape parameter `lambda` (saving = d(i,0) + d(0,j) - λ d(i,j)),
 * on neighbour pairs only. Classic, fast and good on clustered instances; several λ give several distinct
 * starting points. Routes beyond the fleet size are dissolved and their customers reinserted greedily
 * (some may stay unserved; the search then repairs that first, the objective being lexicographic).
 */
export function buildSavings(s: Solution, rr: RuinRecreate, rng: SeededRandom, lambda: number, noise: number): void {
  const p = s.problem;
  const n = p.customerCount;
  const depotStart = p.startNode[0]!;
  const depotEnd = p.endNode[0]!;
  const m = p.travel[p.profile[0]!]!;
  const rowBase = p.rowBase;
  const col = p.column;
  const d = (i: number, j: number): number => m[rowBase[i]! + col[j]!]!;
  const capacity = p.capacity[0]!;
  const maxDuration = p.maxDuration[0]!;
  const extra = p.fixedExtra[0]!;
  const fixed = p.fixedCost[0]!;

  const routes: number[][] = [];
  const routeId = new Int32Array(n);
  const load: number[] = [];
  const duration: number[] = [];
  for (let c = 0; c < n; c++) {
    routeId[c] = c;
    routes.push([c]);
    load.push(p.demand[c]!);
    duration.push(fixed + d(depotStart, c) + d(c, depotEnd) + p.service[c]! + extra);
  }
  const pairs: { i: number; j: number; saving: number }[] = [];
  const stride = p.neighbourStride;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p.neighbourCount[i]!; k++) {
      const j = p.neighbours[i * stride + k]!;
      const saving = d(i, depotEnd) + d(depotStart, j) - lambda * d(i, j);
      pairs.push({ i, j, saving: saving * (1 + noise * (rng.next() - 0.5)) });
    }
  }
  pairs.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);
  for (const { i, j } of pairs) {
    const ri = routeId[i]!;
    const rj = routeId[j]!;
    if (ri === rj) continue;
    const a = routes[ri]!;
    const b = routes[rj]!;
    if (load[ri]! + load[rj]! > capacity + EPS) continue;
    // i must end route a and j must start route b; reversing is allowed (symmetric costs assumed).
    const iEnds = a[a.length - 1] === i;
    const iStarts = a[0] === i;
    const jStarts = b[0] === j;
    const jEnds = b[b.length - 1] === j;
    if ((!iEnds && !iStarts) || (!jStarts && !jEnds)) continue;
    const left = iEnds ? a : [...a].reverse();
    const right = jStarts ? b : [...b].reverse();
    const merged = left.concat(right);
    let dur = fixed + extra;
    let prev = depotStart;
    for (const c of merged) {
      dur += d(prev, c) + p.service[c]!;
      prev = c;
    }
    dur += d(prev, depotEnd);
    if (dur > maxDuration + EPS) continue;
    routes[ri] = merged;
    routes[rj] = [];
    load[ri] = load[ri]! + load[rj]!;
    duration[ri] = dur;
    for (const c of right) routeId[c] = ri;
  }
  const built = routes.filter((r) => r.length > 0);
  // Keep the fullest routes when there are more than vehicles; the rest is reinserted.
  built.sort((a, b) => routeLoad(p, b) - routeLoad(p, a) || a[0]! - b[0]!);
  const kept = built.slice(0, p.vehicleCount);
  for (let r = 0; r < p.vehicleCount; r++) {
    const seq = kept[r] ?? [];
    s.setRoute(r, seq, seq.length);
  }
  rr.beginMove();
  for (const route of built.slice(p.vehicleCount)) for (const c of route) rr.insertBest(s, c, 0);
}

function routeLoad(p: VrpProblem, route: number[]): number {
  let load = 0;
  for (const c of route) load += p.demand[c]!;
  return load;
}
