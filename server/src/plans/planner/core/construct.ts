import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import type { RouteBuilder } from './route-builder';
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
export function buildSavings(
  s: Solution,
  rr: RuinRecreate,
  rng: SeededRandom,
  lambda: number,
  noise: number,
): void {
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
  // A customer that does not fit a vehicle even alone stays unserved rather than in an infeasible route.
  const built = routes.filter(
    (r, k) => r.length > 0 && load[k]! <= capacity + EPS && duration[k]! <= maxDuration + EPS,
  );
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

/**
 * Route-by-route construction for problems with optional customers: each vehicle in turn (the most
 * restricted first) tries every group it may serve, from a couple of seeds, and keeps the route that
 * serves the most prize (then the cheapest). This is the greedy crew-to-work-type assignment; the
 * search improves it afterwards with `reassignRoute`. `variant` shifts the vehicle order between runs.
 */
export function buildSequential(s: Solution, builder: RouteBuilder, variant: number): void {
  const p = s.problem;
  const G = p.groupCount;
  const order = Array.from({ length: p.vehicleCount }, (_, r) => r);
  const choices = (r: number): number => {
    let k = 0;
    for (let g = 0; g < G; g++) if (p.startNode[r * G + g]! >= 0) k++;
    return k;
  };
  order.sort(
    (a, b) => choices(a) - choices(b) || ((a + variant) % p.vehicleCount) - ((b + variant) % p.vehicleCount),
  );
  for (const r of order) {
    let best: number[] | undefined;
    let bestPrize = 0;
    let bestCost = Infinity;
    for (let g = 0; g < G; g++) {
      if (p.startNode[r * G + g]! < 0) continue;
      for (let attempt = 0; attempt < 2; attempt++) {
        const seed = builder.pickSeed(s, r, g);
        if (seed < 0) break;
        builder.grow(s, r, seed);
        let prize = 0;
        const base = r * s.stride;
        for (let i = 0; i < s.len[r]!; i++) prize += p.prize[s.seq[base + i]!]!;
        if (prize > bestPrize || (prize === bestPrize && s.cost[r]! < bestCost)) {
          best = Array.from(s.seq.subarray(base, base + s.len[r]!));
          bestPrize = prize;
          bestCost = s.cost[r]!;
        }
        s.setRoute(r, [], 0);
      }
    }
    if (best) s.setRoute(r, best, best.length);
  }
}

/**
 * Search move for optional customers: empties a random vehicle's route and rebuilds it, in a random
 * group it may serve, from a promising unserved customer. The customers it held go back to the pool for
 * the other routes. Returns the new seed, or -1 when no route could be started (the route is then only
 * emptied). This is how the search moves a crew to another work type or another part of town.
 */
export function reassignRoute(
  s: Solution,
  rr: RuinRecreate,
  builder: RouteBuilder,
  rng: SeededRandom,
): number {
  const p = s.problem;
  const G = p.groupCount;
  const r = rng.below(p.vehicleCount);
  let g = -1;
  let seen = 0;
  for (let k = 0; k < G; k++) {
    if (p.startNode[r * G + k]! < 0) continue;
    seen++;
    if (rng.below(seen) === 0) g = k;
  }
  if (g < 0) return -1;
  rr.ruinRoute(s, r);
  const seed = builder.pickSeed(s, r, g);
  if (seed < 0) return -1;
  builder.grow(s, r, seed);
  rr.touch(r);
  return seed;
}
