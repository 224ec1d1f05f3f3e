import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import { FEASIBILITY_EPSILON, type Solution } from './solution';

/** Local copy of the feasibility slack (a module constant the engine can fold into hot loops). */
const EPS = FEASIBILITY_EPSILON;
/** Unserved customers sampled when looking for a promising place to start a route. */
const SEED_SAMPLES = 48;
/** Neighbours of each route member offered as candidates while the route grows. */
const GROWTH_NEIGHBOURS = 24;
/** Neighbours whose prizes make a seed's neighbourhood score. */
const SEED_NEIGHBOURHOOD = 10;

/**
 * Builds one route at a time for problems with optional customers (crew rounds): start from a
 * promising customer (valuable, in a valuable neighbourhood), then repeatedly add the nearby customer
 * with the best prize per minute of extra duration until nothing fits. This is the orienteering
 * counterpart of cheapest insertion; it gives the search compact, full days to start from, and lets it
 * try a crew on another work type or area with a route worth comparing.
 */
export class RouteBuilder {
  private readonly p: VrpProblem;
  private readonly rng: SeededRandom;
  /** Customers of each group, to sample seeds from. */
  private readonly members: Int32Array[];
  private readonly candidates: Int32Array;
  private readonly candidateStamp: Int32Array;
  private stamp = 0;

  /** Indexes customers by group once. */
  constructor(problem: VrpProblem, rng: SeededRandom) {
    this.p = problem;
    this.rng = rng;
    const lists: number[][] = Array.from({ length: problem.groupCount }, () => []);
    for (let c = 0; c < problem.customerCount; c++) lists[problem.nodeGroup[c]!]!.push(c);
    this.members = lists.map((l) => Int32Array.from(l));
    this.candidates = new Int32Array(problem.customerCount);
    this.candidateStamp = new Int32Array(problem.customerCount);
  }

  /** Cost of serving c alone with vehicle r in c's group, or Infinity when it does not fit. */
  private aloneCost(r: number, c: number): number {
    const p = this.p;
    const k = r * p.groupCount + p.nodeGroup[c]!;
    const sn = p.startNode[k]!;
    if (sn < 0 || p.demand[c]! > p.capacity[r]! + EPS) return Infinity;
    const m = p.travel[p.profile[r]!]!;
    const d =
      p.fixedCost[k]! + m[p.rowBase[sn]! + p.column[c]!]! + m[p.rowBase[c]! + p.column[p.endNode[k]!]!]!;
    if (d + p.service[c]! + p.fixedExtra[k]! > p.maxDuration[r]! + EPS) return Infinity;
    return d;
  }

  /**
   * A good first customer for vehicle r in group g: among a random sample of unserved customers that
   * fit, the one whose own prize plus its unserved neighbours' prizes is highest. -1 when none fits.
   */
  pickSeed(s: Solution, r: number, g: number): number {
    const p = this.p;
    const list = this.members[g]!;
    if (list.length === 0) return -1;
    const stride = p.neighbourStride;
    let best = -1;
    let bestScore = -Infinity;
    const samples = Math.min(SEED_SAMPLES, list.length);
    for (let t = 0; t < samples; t++) {
      const c = list.length <= SEED_SAMPLES ? list[t]! : list[this.rng.below(list.length)]!;
      if (s.routeOf[c] !== -1 || this.aloneCost(r, c) === Infinity) continue;
      let score = p.prize[c]!;
      const count = Math.min(SEED_NEIGHBOURHOOD, p.neighbourCount[c]!);
      for (let j = 0; j < count; j++) {
        const o = p.neighbours[c * stride + j]!;
        if (s.routeOf[o] === -1) score += p.prize[o]!;
      }
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /**
   * Grows route r (starting it from `seed` when empty) with unserved customers of its group, best
   * prize per minute first; returns the number of customers added.
   */
  grow(s: Solution, r: number, seed: number): number {
    const p = this.p;
    let added = 0;
    if (s.len[r] === 0) {
      if (seed < 0 || s.routeOf[seed] !== -1 || this.aloneCost(r, seed) === Infinity) return 0;
      s.insert(r, 0, seed);
      added++;
    }
    const stamp = ++this.stamp;
    let count = 0;
    const offer = (c: number): void => {
      const nb = Math.min(GROWTH_NEIGHBOURS, p.neighbourCount[c]!);
      for (let j = 0; j < nb; j++) {
        const o = p.neighbours[c * p.neighbourStride + j]!;
        if (s.routeOf[o] === -1 && this.candidateStamp[o] !== stamp) {
          this.candidateStamp[o] = stamp;
          this.candidates[count++] = o;
        }
      }
    };
    const base = r * s.stride;
    for (let i = 0; i < s.len[r]!; i++) offer(s.seq[base + i]!);
    const m = p.travel[p.profile[r]!]!;
    const rowBase = p.rowBase;
    const column = p.column;
    for (;;) {
      let bestRatio = -Infinity;
      let bestC = -1;
      let bestPos = -1;
      const duration = s.duration(r);
      const n = s.len[r]!;
      const arcBase = r * (s.stride + 1);
      for (let k = 0; k < count; k++) {
        const c = this.candidates[k]!;
        if (s.routeOf[c] !== -1) continue;
        const slack = p.maxDuration[r]! + EPS - duration - p.service[c]!;
        if (slack < 0 || s.load[r]! + p.demand[c]! > p.capacity[r]! + EPS) continue;
        const rowC = rowBase[c]!;
        const colC = column[c]!;
        let prev = s.start[r]!;
        let bestDelta = Infinity;
        let pos = -1;
        for (let i = 0; i <= n; i++) {
          const next = i < n ? s.seq[base + i]! : s.end[r]!;
          const delta = m[rowBase[prev]! + colC]! + m[rowC + column[next]!]! - s.arcs[arcBase + i]!;
          if (delta < bestDelta && delta <= slack) {
            bestDelta = delta;
            pos = i;
          }
          prev = next;
        }
        if (pos < 0) continue;
        const ratio = p.prize[c]! / (Math.max(0, bestDelta) + p.service[c]! + 1e-3);
        if (ratio > bestRatio) {
          bestRatio = ratio;
          bestC = c;
          bestPos = pos;
        }
      }
      if (bestC < 0) return added;
      s.insert(r, bestPos, bestC);
      added++;
      offer(bestC);
    }
  }
}
