import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import { FEASIBILITY_EPSILON, type Solution } from './solution';

/** Local copy of the feasibility slack (a module constant the engine can fold into hot loops). */
const EPS = FEASIBILITY_EPSILON;

/** Tuning of the ruin-and-recreate step (defaults from Christiaens & Vanden Berghe 2020, SISR). */
export interface RuinRecreateOptions {
  /** Average number of customers removed per ruin (c̄). */
  averageRemoved: number;
  /** Longest string removed from one route (L^max). */
  maxStringLength: number;
  /** Probability that a string removal keeps a substring in the middle ("split string"). */
  splitRate: number;
  /** Stop probability while growing the kept substring of a split string (β). */
  splitDepth: number;
  /** Probability of skipping each insertion position ("blinks"), which diversifies the greedy rebuild. */
  blinkRate: number;
}

/** The published SISR settings, which also hold up on sub-second budgets. */
export const DEFAULT_RUIN_RECREATE: RuinRecreateOptions = {
  averageRemoved: 10,
  maxStringLength: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
  blinkRate: 0.01,
};

/** Above this many unserved customers, only the ones near the ruined area are offered for reinsertion. */
const ALL_UNSERVED_LIMIT = 64;
/** How many neighbours of each removed customer are scanned for unserved ones to offer. */
const NEARBY_UNSERVED_SCAN = 12;

/**
 * Slack string insertion and removal (SISR): removes a few strings of consecutive customers from
 * routes that are close to each other, then reinserts every removed customer greedily, at its cheapest
 * position with random blinks, in an order drawn from a few sort rules.
 *
 * All buffers are allocated once; one call to `ruin` + `recreate` allocates nothing.
 */
export class RuinRecreate {
  private readonly p: VrpProblem;
  private readonly rng: SeededRandom;
  private readonly options: RuinRecreateOptions;
  /** Customers taken out by the last ruin, then the unserved ones offered with them. */
  private readonly pool: Int32Array;
  private poolSize = 0;
  private readonly sortKey: Float64Array;
  private readonly customerStamp: Int32Array;
  private readonly routeStamp: Int32Array;
  private readonly classStamp: Int32Array;
  /** Generation counter of the current move, for `routeStamp` and `customerStamp`. */
  private stamp = 0;
  /** Generation counter of the current insertion, for `classStamp`. */
  private insertion = 0;
  /** Distance from the nearest compatible start terminal, for the "far" and "close" orders. */
  private readonly depotDistance: Float64Array;
  /** Vehicles with identical limits and terminals share a class: one empty route per class is tried. */
  private readonly vehicleClass: Int32Array;
  /** Routes changed since the last `beginMove`. */
  readonly touched: Int32Array;
  /** Number of valid entries in `touched`. */
  touchedCount = 0;

  /** Prepares buffers and the per-customer data the sort rules need. */
  constructor(problem: VrpProblem, rng: SeededRandom, options: RuinRecreateOptions = DEFAULT_RUIN_RECREATE) {
    this.p = problem;
    this.rng = rng;
    this.options = options;
    const n = problem.customerCount;
    const v = problem.vehicleCount;
    this.pool = new Int32Array(n);
    this.sortKey = new Float64Array(n);
    this.customerStamp = new Int32Array(n);
    this.routeStamp = new Int32Array(v);
    this.classStamp = new Int32Array(v);
    this.touched = new Int32Array(v);
    this.depotDistance = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const g = problem.nodeGroup[c]!;
      let best = Infinity;
      for (let r = 0; r < v; r++) {
        const s = problem.startNode[r * problem.groupCount + g]!;
        if (s < 0) continue;
        const d = problem.travel[problem.profile[r]!]![problem.rowBase[s]! + problem.column[c]!]!;
        if (d < best) best = d;
      }
      this.depotDistance[c] = best === Infinity ? 0 : best;
    }
    this.vehicleClass = new Int32Array(v);
    const keys = new Map<string, number>();
    const g = problem.groupCount;
    for (let r = 0; r < v; r++) {
      const parts = [problem.capacity[r], problem.maxDuration[r], problem.profile[r]];
      for (let k = r * g; k < (r + 1) * g; k++) {
        parts.push(problem.startNode[k], problem.endNode[k], problem.fixedCost[k], problem.fixedExtra[k]);
      }
      const key = parts.join(',');
      let cls = keys.get(key);
      if (cls === undefined) keys.set(key, (cls = keys.size));
      this.vehicleClass[r] = cls;
    }
  }

  /** Starts a new move: forgets which routes were touched. */
  beginMove(): void {
    this.touchedCount = 0;
    this.stamp++;
  }

  private touch(r: number): void {
    if (this.routeStamp[r] !== this.stamp) {
      this.routeStamp[r] = this.stamp;
      this.touched[this.touchedCount++] = r;
    }
  }

  /** Removes nearby strings around a random served customer (SISR's adjacent string removal). */
  ruin(s: Solution): void {
    const p = this.p;
    const rng = this.rng;
    const o = this.options;
    this.poolSize = 0;
    if (s.servedCount === 0) return;
    const used = s.usedRoutes();
    const avgLen = s.servedCount / used;
    const lsMax = Math.min(o.maxStringLength, avgLen);
    const ksMax = (4 * o.averageRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;
    const seed = this.randomServed(s);
    const stride = p.neighbourStride;
    const nbCount = p.neighbourCount[seed]!;
    let strings = 0;
    for (let i = -1; i < nbCount && strings < ks; i++) {
      const c = i < 0 ? seed : p.neighbours[seed * stride + i]!;
      const r = s.routeOf[c]!;
      if (r < 0 || this.routeStamp[r] === this.stamp) continue;
      this.touch(r);
      strings++;
      const len = s.len[r]!;
      const lMax = Math.min(len, lsMax);
      const l = Math.floor(rng.next() * lMax) + 1;
      const pos = s.posOf[c]!;
      if (l >= len || rng.next() >= o.splitRate) {
        const lo = Math.max(0, pos - l + 1);
        const hi = Math.min(pos, len - l);
        const from = lo + rng.below(hi - lo + 1);
        this.poolSize = s.removeRange(r, from, l, this.pool, this.poolSize);
      } else {
        let m = 1;
        while (l + m < len && rng.next() >= o.splitDepth) m++;
        const w = l + m;
        const lo = Math.max(0, pos - w + 1);
        const hi = Math.min(pos, len - w);
        const from = lo + rng.below(hi - lo + 1);
        const keep = rng.below(l + 1);
        // Tail first so that the head's positions stay valid.
        if (l - keep > 0) this.poolSize = s.removeRange(r, from + keep + m, l - keep, this.pool, this.poolSize);
        if (keep > 0) this.poolSize = s.removeRange(r, from, keep, this.pool, this.poolSize);
      }
    }
  }

  /**
   * Removes every customer of route r: lets prize-collecting searches hand a crew to another work type or
   * area, which string removals alone almost never do.
   */
  ruinRoute(s: Solution, r: number): void {
    this.touch(r);
    this.poolSize = s.removeRange(r, 0, s.len[r]!, this.pool, this.poolSize);
  }

  /** A uniformly random served customer (one walk over the routes, no allocation). */
  randomServed(s: Solution): number {
    let k = this.rng.below(s.servedCount);
    for (let r = 0; ; r++) {
      const n = s.len[r]!;
      if (k < n) return s.seq[r * s.stride + k]!;
      k -= n;
    }
  }

  /**
   * Adds unserved customers to the pool: all of them when few (CVRP repairs), otherwise those near the
   * removed ones and near `extraSeed`, so that a prize-collecting rebuild considers swapping reports in.
   */
  offerUnserved(s: Solution, extraSeed: number): void {
    const p = this.p;
    const n = p.customerCount;
    const unservedCount = n - s.servedCount;
    if (unservedCount === 0) return;
    const stamp = this.stamp;
    for (let i = 0; i < this.poolSize; i++) this.customerStamp[this.pool[i]!] = stamp;
    if (unservedCount <= ALL_UNSERVED_LIMIT) {
      for (let c = 0; c < n; c++) {
        if (s.routeOf[c] === -1 && this.customerStamp[c] !== stamp) this.pool[this.poolSize++] = c;
      }
      return;
    }
    const removed = this.poolSize;
    const stride = p.neighbourStride;
    for (let i = -1; i < removed; i++) {
      const a = i < 0 ? extraSeed : this.pool[i]!;
      if (a < 0) continue;
      if (i < 0 && s.routeOf[a] === -1 && this.customerStamp[a] !== stamp) {
        this.customerStamp[a] = stamp;
        this.pool[this.poolSize++] = a;
      }
      const count = Math.min(p.neighbourCount[a]!, NEARBY_UNSERVED_SCAN);
      for (let j = 0; j < count; j++) {
        const c = p.neighbours[a * stride + j]!;
        if (s.routeOf[c] === -1 && this.customerStamp[c] !== stamp) {
          this.customerStamp[c] = stamp;
          this.pool[this.poolSize++] = c;
        }
      }
    }
  }

  /** Puts every customer back in the pool (rebuilding from scratch is one of the constructions). */
  poolAllUnserved(s: Solution): void {
    this.poolSize = 0;
    for (let c = 0; c < this.p.customerCount; c++) if (s.routeOf[c] === -1) this.pool[this.poolSize++] = c;
  }

  /**
   * Reinserts the pool greedily in one of SISR's orders (random, largest demand, farthest, closest);
   * when customers carry different prizes the most valuable go first half of the time, so a full day
   * never blocks a danger report.
   */
  recreate(s: Solution): void {
    const n = this.poolSize;
    if (n === 0) return;
    const rng = this.rng;
    const key = this.sortKey;
    const pool = this.pool;
    const p = this.p;
    const pick = rng.next() * (p.optionalCustomers ? 22 : 11);
    for (let i = 0; i < n; i++) {
      const c = pool[i]!;
      if (pick < 4) key[i] = rng.next();
      else if (pick < 8) key[i] = -p.demand[c]! - rng.next() * 1e-6;
      else if (pick < 10) key[i] = -this.depotDistance[c]! - rng.next() * 1e-6;
      else if (pick < 11) key[i] = this.depotDistance[c]! + rng.next() * 1e-6;
      else key[i] = -p.prize[c]! - rng.next() * 1e-3;
    }
    // Insertion sort: pools hold a few dozen customers.
    for (let i = 1; i < n; i++) {
      const c = pool[i]!;
      const k = key[i]!;
      let j = i - 1;
      while (j >= 0 && key[j]! > k) {
        key[j + 1] = key[j]!;
        pool[j + 1] = pool[j]!;
        j--;
      }
      key[j + 1] = k;
      pool[j + 1] = c;
    }
    for (let i = 0; i < n; i++) this.insertBest(s, pool[i]!, this.options.blinkRate);
  }

  /**
   * Inserts customer c at its cheapest feasible position (positions skipped with probability `blink`);
   * returns false, leaving it unserved, when no route can take it.
   */
  insertBest(s: Solution, c: number, blink: number): boolean {
    const p = this.p;
    const rng = this.rng;
    const v = p.vehicleCount;
    const g = p.nodeGroup[c]!;
    const groups = p.groupCount;
    const q = p.demand[c]!;
    const sc = p.service[c]!;
    const rowBase = p.rowBase;
    const column = p.column;
    const rowC = rowBase[c]!;
    const colC = column[c]!;
    const stride = s.stride;
    const seq = s.seq;
    const stamp = ++this.insertion;
    let best = Infinity;
    let bestRoute = -1;
    let bestPos = -1;
    for (let r = 0; r < v; r++) {
      const rg = s.group[r]!;
      if (rg === -1) {
        const cls = this.vehicleClass[r]!;
        if (this.classStamp[cls] === stamp) continue;
        this.classStamp[cls] = stamp;
        const k = r * groups + g;
        const sn = p.startNode[k]!;
        if (sn < 0 || q > p.capacity[r]! + EPS) continue;
        const m = p.travel[p.profile[r]!]!;
        const d = p.fixedCost[k]! + m[rowBase[sn]! + colC]! + m[rowC + column[p.endNode[k]!]!]!;
        if (d + sc + p.fixedExtra[k]! > p.maxDuration[r]! + EPS) continue;
        if (d < best && (blink === 0 || rng.next() >= blink)) {
          best = d;
          bestRoute = r;
          bestPos = 0;
        }
        continue;
      }
      if (rg !== g || s.load[r]! + q > p.capacity[r]! + EPS) continue;
      const slack = p.maxDuration[r]! + EPS - s.duration(r) - sc;
      if (slack < -1e6) continue;
      const m = p.travel[p.profile[r]!]!;
      const base = r * stride;
      const n = s.len[r]!;
      const end = s.end[r]!;
      let prev = s.start[r]!;
      let prevRow = rowBase[prev]!;
      for (let i = 0; i <= n; i++) {
        const next = i < n ? seq[base + i]! : end;
        const nextCol = column[next]!;
        const delta = m[prevRow + colC]! + m[rowC + nextCol]! - m[prevRow + nextCol]!;
        if (delta < best && delta <= slack && (blink === 0 || rng.next() >= blink)) {
          best = delta;
          bestRoute = r;
          bestPos = i;
        }
        prevRow = rowBase[next]!;
      }
    }
    if (bestRoute < 0) return false;
    s.insert(bestRoute, bestPos, c);
    this.touch(bestRoute);
    return true;
  }
}
