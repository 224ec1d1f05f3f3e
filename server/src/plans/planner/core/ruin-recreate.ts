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
  /** Nearest neighbours whose routes are tried first when reinserting (0: always scan every route). */
  insertionNeighbours: number;
}

/**
 * Order in which `recreate` reinserts: one of SISR's drawn at random, most valuable first, or most
 * often left out first (fleet reduction).
 */
export type RecreateOrder = 'any' | 'prize' | 'absence';

/** The published SISR settings, which also hold up on sub-second budgets. */
export const DEFAULT_RUIN_RECREATE: RuinRecreateOptions = {
  averageRemoved: 10,
  maxStringLength: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
  blinkRate: 0.01,
  insertionNeighbours: 0,
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
  /** Routes already scanned by the current insertion. */
  private readonly scanStamp: Int32Array;
  /** Best insertion found so far by the current `insertBest` call. */
  private bestDelta = Infinity;
  private bestRoute = -1;
  private bestPos = -1;
  /** Blink state: current rate, log(1 - rate), and improving candidates left before the next blink. */
  private blinkRate = -1;
  private blinkLog = 0;
  private blinkLeft = Infinity;
  /** Neighbours whose routes are scanned first (0: scan every route). */
  insertionNeighbours: number;
  /** Most routes a solution may use (fleet reduction); new routes are not opened beyond it. */
  maxRoutes = Infinity;
  /** How often each customer was left out, for the 'absence' order of fleet reduction. */
  absences: Float64Array | undefined;
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
    this.scanStamp = new Int32Array(v);
    this.insertionNeighbours = options.insertionNeighbours;
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

  /** Starts a new move: forgets which routes were touched and empties the pool. */
  beginMove(): void {
    this.touchedCount = 0;
    this.poolSize = 0;
    this.stamp++;
  }

  /** Records that route r changed during the current move (for `syncRoutes`). */
  touch(r: number): void {
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
        // Kept substring length: geometric with stop probability β, capped by the route.
        const draw = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - o.splitDepth));
        const m = Math.max(1, Math.min(len - l, draw));
        const w = l + m;
        const lo = Math.max(0, pos - w + 1);
        const hi = Math.min(pos, len - w);
        const from = lo + rng.below(hi - lo + 1);
        const keep = rng.below(l + 1);
        // Tail first so that the head's positions stay valid.
        if (l - keep > 0)
          this.poolSize = s.removeRange(r, from + keep + m, l - keep, this.pool, this.poolSize);
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
    if (s.len[r] === 0) return;
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
        // The seed itself, when it is still unserved.
        this.customerStamp[a] = stamp;
        this.pool[this.poolSize++] = a;
      }
      const count = i < 0 ? p.neighbourCount[a]! : Math.min(p.neighbourCount[a]!, NEARBY_UNSERVED_SCAN);
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
  recreate(s: Solution, order: RecreateOrder = 'any', blink: number = this.options.blinkRate): void {
    const n = this.poolSize;
    if (n === 0) return;
    const rng = this.rng;
    const key = this.sortKey;
    const pool = this.pool;
    const p = this.p;
    const pick =
      order === 'prize' ? 11 : order === 'absence' ? -1 : rng.next() * (p.optionalCustomers ? 22 : 11);
    const absences = this.absences;
    for (let i = 0; i < n; i++) {
      const c = pool[i]!;
      if (pick < 0) key[i] = -(absences ? absences[c]! : 0) - rng.next() * 1e-3;
      else if (pick < 4) key[i] = rng.next();
      else if (pick < 8) key[i] = -p.demand[c]! - rng.next() * 1e-6;
      else if (pick < 10) key[i] = -this.depotDistance[c]! - rng.next() * 1e-6;
      else if (pick < 11) key[i] = this.depotDistance[c]! + rng.next() * 1e-6;
      else key[i] = -p.prize[c]! - rng.next() * 1e-3;
    }
    if (n > 64) {
      // Whole-problem pools (constructions): a real sort; allocating here is fine, it happens rarely.
      const entries = Array.from(pool.subarray(0, n), (c, i) => ({ c, k: key[i]! }));
      entries.sort((a, b) => a.k - b.k);
      entries.forEach((e, i) => {
        pool[i] = e.c;
        key[i] = e.k;
      });
    }
    // Insertion sort: pools usually hold a few dozen customers.
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
    // A pooled customer may have been served since it was pooled (a route rebuilt in between).
    for (let i = 0; i < n; i++) if (s.routeOf[pool[i]!] === -1) this.insertBest(s, pool[i]!, blink);
  }

  /**
   * Inserts customer c at its cheapest feasible position, each better position found being skipped
   * with probability `blink`; returns false, leaving it unserved, when no route can take it.
   *
   * Granular: only routes holding one of c's nearest neighbours (and one empty route per vehicle class)
   * are scanned first; the others only when none of those can take c. The cheapest position is almost
   * always next to a neighbour, and this divides the work by the number of routes on large instances.
   */
  insertBest(s: Solution, c: number, blink: number): boolean {
    const p = this.p;
    const v = p.vehicleCount;
    const stamp = ++this.insertion;
    this.setBlink(blink);
    this.bestDelta = Infinity;
    this.bestRoute = -1;
    this.bestPos = -1;
    const k = this.insertionNeighbours;
    if (k > 0 && v > 8) {
      const stride = p.neighbourStride;
      const count = Math.min(k, p.neighbourCount[c]!);
      for (let j = 0; j < count; j++) {
        const r = s.routeOf[p.neighbours[c * stride + j]!]!;
        if (r >= 0 && this.scanStamp[r] !== stamp) {
          this.scanStamp[r] = stamp;
          this.scanRoute(s, r, c);
        }
      }
      if (this.mayOpen(s)) {
        for (let r = 0; r < v; r++) {
          if (s.len[r] === 0) this.scanEmpty(s, r, c, stamp);
        }
      }
      if (this.bestRoute < 0) {
        for (let r = 0; r < v; r++) {
          if (this.scanStamp[r] !== stamp && s.len[r] !== 0) this.scanRoute(s, r, c);
        }
      }
    } else {
      const open = this.mayOpen(s);
      for (let r = 0; r < v; r++) {
        if (s.len[r] !== 0) this.scanRoute(s, r, c);
        else if (open) this.scanEmpty(s, r, c, stamp);
      }
    }
    const bestRoute = this.bestRoute;
    if (bestRoute < 0) return false;
    s.insert(bestRoute, this.bestPos, c);
    this.touch(bestRoute);
    return true;
  }

  /** Whether a new route may be opened under `maxRoutes`. */
  private mayOpen(s: Solution): boolean {
    return this.maxRoutes === Infinity || s.usedRoutes() < this.maxRoutes;
  }

  /** Inserts c at its cheapest feasible position in route r only; false when r cannot take it. */
  insertInto(s: Solution, r: number, c: number): boolean {
    const stamp = ++this.insertion;
    this.setBlink(0);
    this.bestDelta = Infinity;
    this.bestRoute = -1;
    this.bestPos = -1;
    if (s.len[r] === 0) this.scanEmpty(s, r, c, stamp);
    else this.scanRoute(s, r, c);
    if (this.bestRoute < 0) return false;
    s.insert(r, this.bestPos, c);
    this.touch(r);
    return true;
  }

  /**
   * Blinks are drawn as geometric gaps between skipped candidates instead of one random number per
   * candidate: the same distribution, a hundred times fewer draws.
   */
  private setBlink(rate: number): void {
    if (rate !== this.blinkRate) {
      this.blinkRate = rate;
      this.blinkLog = rate > 0 ? Math.log(1 - rate) : 0;
      this.blinkLeft = this.blinkGap();
    }
  }

  private blinkGap(): number {
    if (this.blinkRate <= 0) return Infinity;
    return 1 + Math.floor(Math.log(1 - this.rng.next()) / this.blinkLog);
  }

  /** Offers c a new route on empty vehicle r, once per vehicle class and insertion. */
  private scanEmpty(s: Solution, r: number, c: number, stamp: number): void {
    const p = this.p;
    const cls = this.vehicleClass[r]!;
    if (this.classStamp[cls] === stamp) return;
    this.classStamp[cls] = stamp;
    const k = r * p.groupCount + p.nodeGroup[c]!;
    const sn = p.startNode[k]!;
    if (sn < 0 || p.demand[c]! > p.capacity[r]! + EPS) return;
    const m = p.travel[p.profile[r]!]!;
    const d =
      p.fixedCost[k]! + m[p.rowBase[sn]! + p.column[c]!]! + m[p.rowBase[c]! + p.column[p.endNode[k]!]!]!;
    if (d + p.service[c]! + p.fixedExtra[k]! > p.maxDuration[r]! + EPS) return;
    if (d < this.bestDelta) {
      if (--this.blinkLeft <= 0) {
        this.blinkLeft = this.blinkGap();
        return;
      }
      this.bestDelta = d;
      this.bestRoute = r;
      this.bestPos = 0;
    }
  }

  /** Scans every position of non-empty route r for c, keeping the best in `bestDelta/Route/Pos`. */
  private scanRoute(s: Solution, r: number, c: number): void {
    const p = this.p;
    if (s.group[r] !== p.nodeGroup[c] || s.load[r]! + p.demand[c]! > p.capacity[r]! + EPS) return;
    const slack = p.maxDuration[r]! + EPS - s.duration(r) - p.service[c]!;
    // Detours are never negative under the triangle inequality; a full route is skipped unscanned.
    if (slack < 0) return;
    const rowBase = p.rowBase;
    const column = p.column;
    const rowC = rowBase[c]!;
    const seq = s.seq;
    const arcs = s.arcs;
    const m = p.travel[p.profile[r]!]!;
    const base = r * s.stride;
    const arcBase = r * (s.stride + 1);
    const n = s.len[r]!;
    const end = s.end[r]!;
    let best = this.bestDelta;
    let bestPos = -1;
    let blinkLeft = this.blinkLeft;
    if (p.symmetric) {
      // d(prev, c) = d(c, prev): one read of c's row per position, the previous one carried over.
      let dPrev = m[rowC + column[s.start[r]!]!]!;
      for (let i = 0; i <= n; i++) {
        const dNext = m[rowC + column[i < n ? seq[base + i]! : end]!]!;
        const delta = dPrev + dNext - arcs[arcBase + i]!;
        if (delta < best && delta <= slack) {
          if (--blinkLeft <= 0) blinkLeft = this.blinkGap();
          else {
            best = delta;
            bestPos = i;
          }
        }
        dPrev = dNext;
      }
    } else {
      const colC = column[c]!;
      let prevRow = rowBase[s.start[r]!]!;
      for (let i = 0; i <= n; i++) {
        const next = i < n ? seq[base + i]! : end;
        const delta = m[prevRow + colC]! + m[rowC + column[next]!]! - arcs[arcBase + i]!;
        if (delta < best && delta <= slack) {
          if (--blinkLeft <= 0) blinkLeft = this.blinkGap();
          else {
            best = delta;
            bestPos = i;
          }
        }
        prevRow = rowBase[next]!;
      }
    }
    this.blinkLeft = blinkLeft;
    if (bestPos >= 0) {
      this.bestDelta = best;
      this.bestRoute = r;
      this.bestPos = bestPos;
    }
  }
}
