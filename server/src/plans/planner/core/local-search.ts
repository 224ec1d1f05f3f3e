import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import { FEASIBILITY_EPSILON, type Solution } from './solution';

/** Local copy of the feasibility slack (a module constant the engine can fold into hot loops). */
const EPS = FEASIBILITY_EPSILON;

/** Improvements smaller than this are rounding noise, not progress (avoids endless cycling). */
const MIN_GAIN = 1e-6;

/**
 * Granular local search: relocate (before/after), swap, 2-opt and 2-opt*, each move only between a
 * customer and one of its nearest neighbours (Toth & Vigo's granular neighbourhoods), first
 * improvement, until no move improves the travel cost. The set of served customers does not change.
 *
 * Customers to examine sit in a queue; after a move only the customers whose neighbours in the route
 * changed are queued again ("don't look bits"), so polishing a solution that one ruin-and-recreate move
 * changed costs a few hundred evaluations. Route prefix sums (forward cost, backward cost, load,
 * service) make every evaluation O(1), asymmetric travel included.
 */
export class LocalSearch {
  private readonly p: VrpProblem;
  private readonly rng: SeededRandom;
  private readonly stride: number;
  /** Forward travel from the route's start node to the customer at each position. */
  private readonly fwd: Float64Array;
  /** Cost of driving the prefix backwards (arc x_{k+1} -> x_k summed), for reversals. */
  private readonly bwd: Float64Array;
  /** Load up to and including each position. */
  private readonly loadUpTo: Float64Array;
  /** Service time up to and including each position. */
  private readonly serviceUpTo: Float64Array;
  private readonly order: Int32Array;
  private readonly buf: Int32Array;
  /** Customers waiting to be examined (circular buffer) and their membership flags. */
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  private tail = 0;
  /** Run counter, to know which routes' prefix sums are current. */
  private version = 0;
  private readonly prefixVersion: Int32Array;
  private readonly changedStamp: Int32Array;
  /** Routes modified by the last run. */
  readonly changed: Int32Array;
  /** Number of valid entries in `changed`. */
  changedCount = 0;
  /** Neighbours considered per customer (granularity). */
  granularity: number;

  /** Allocates the prefix arrays once for the problem's largest possible routes. */
  constructor(problem: VrpProblem, rng: SeededRandom, granularity = 20) {
    this.p = problem;
    this.rng = rng;
    this.granularity = granularity;
    this.stride = Math.max(1, problem.customerCount);
    const size = problem.vehicleCount * this.stride;
    this.fwd = new Float64Array(size);
    this.bwd = new Float64Array(size);
    this.loadUpTo = new Float64Array(size);
    this.serviceUpTo = new Float64Array(size);
    this.order = new Int32Array(problem.customerCount);
    this.buf = new Int32Array(this.stride * 2);
    this.queue = new Int32Array(problem.customerCount + 1);
    this.queued = new Uint8Array(problem.customerCount);
    this.prefixVersion = new Int32Array(problem.vehicleCount);
    this.changedStamp = new Int32Array(problem.vehicleCount);
    this.changed = new Int32Array(problem.vehicleCount);
  }

  /**
   * Descends until no granular move improves, or the clock passes `deadline`; returns the total gain.
   * With `routes`, only customers of those routes (and those a move disturbs on the way) are examined,
   * which makes polishing the result of one ruin-and-recreate move cheap. The solution stays feasible
   * throughout; `changed` lists the routes it modified.
   */
  run(s: Solution, clock: () => number, deadline: number, routes?: Int32Array, routeCount = 0): number {
    const p = this.p;
    this.version++;
    this.changedCount = 0;
    this.head = 0;
    this.tail = 0;
    if (routes) {
      for (let i = 0; i < routeCount; i++) {
        const r = routes[i]!;
        const base = r * s.stride;
        for (let k = 0; k < s.len[r]!; k++) this.enqueue(s.seq[base + k]!);
      }
    } else {
      let count = 0;
      for (let c = 0; c < p.customerCount; c++) if (s.routeOf[c]! >= 0) this.order[count++] = c;
      for (let i = count - 1; i > 0; i--) {
        const j = this.rng.below(i + 1);
        const t = this.order[i]!;
        this.order[i] = this.order[j]!;
        this.order[j] = t;
      }
      for (let i = 0; i < count; i++) this.enqueue(this.order[i]!);
    }
    const size = p.customerCount + 1;
    let total = 0;
    let steps = 0;
    while (this.head !== this.tail) {
      // A step is a few microseconds: the clock (which may be costly) is read every 256.
      if ((++steps & 255) === 0 && clock() >= deadline) break;
      const u = this.queue[this.head]!;
      this.head = this.head + 1 === size ? 0 : this.head + 1;
      this.queued[u] = 0;
      if (s.routeOf[u]! < 0) continue;
      const gain = this.improve(s, u);
      if (gain > 0) {
        total += gain;
        this.enqueue(u);
      }
    }
    // Leave nothing queued for the next run.
    while (this.head !== this.tail) {
      this.queued[this.queue[this.head]!] = 0;
      this.head = this.head + 1 === size ? 0 : this.head + 1;
    }
    return total;
  }

  private enqueue(c: number): void {
    if (c >= this.p.customerCount || this.queued[c]) return;
    this.queued[c] = 1;
    this.queue[this.tail] = c;
    this.tail = this.tail + 1 === this.p.customerCount + 1 ? 0 : this.tail + 1;
  }

  private prefix(s: Solution, r: number): void {
    const p = this.p;
    const m = p.travel[p.profile[r]!]!;
    const rowBase = p.rowBase;
    const column = p.column;
    const base = r * this.stride;
    const n = s.len[r]!;
    let prev = s.start[r]!;
    let f = 0;
    let b = 0;
    let load = 0;
    let service = 0;
    for (let i = 0; i < n; i++) {
      const c = s.seq[base + i]!;
      f += m[rowBase[prev]! + column[c]!]!;
      if (i > 0) b += m[rowBase[c]! + column[prev]!]!;
      load += p.demand[c]!;
      service += p.service[c]!;
      this.fwd[base + i] = f;
      this.bwd[base + i] = b;
      this.loadUpTo[base + i] = load;
      this.serviceUpTo[base + i] = service;
      prev = c;
    }
    this.prefixVersion[r] = this.version;
  }

  /** Bookkeeping after a move rewrote route r: totals, prefix sums, change list. */
  private changedRoute(s: Solution, r: number): void {
    s.refresh(r);
    this.prefix(s, r);
    if (this.changedStamp[r] !== this.version) {
      this.changedStamp[r] = this.version;
      this.changed[this.changedCount++] = r;
    }
  }

  /**
   * Tries the moves between u and each of its neighbours, applies the first improving one and returns
   * its gain (0 when none improves). Everything about u is read once, outside the neighbour loop.
   */
  private improve(s: Solution, u: number): number {
    const p = this.p;
    const rowBase = p.rowBase;
    const col = p.column;
    const seq = s.seq;
    const ru = s.routeOf[u]!;
    if (this.prefixVersion[ru] !== this.version) this.prefix(s, ru);
    const pu = s.posOf[u]!;
    const nu = s.len[ru]!;
    const baseU = ru * s.stride;
    const x = pu > 0 ? seq[baseU + pu - 1]! : s.start[ru]!;
    const z = pu < nu - 1 ? seq[baseU + pu + 1]! : s.end[ru]!;
    const mu = p.travel[p.profile[ru]!]!;
    const rowU = rowBase[u]!;
    const colU = col[u]!;
    const rowX = rowBase[x]!;
    const colZ = col[z]!;
    const dXU = mu[rowX + colU]!;
    const dUZ = mu[rowU + colZ]!;
    // Change of ru's cost when u leaves it (the whole route cost when u is alone).
    const removal = nu === 1 ? -s.cost[ru]! : mu[rowX + colZ]! - dXU - dUZ;
    const qu = p.demand[u]!;
    const su = p.service[u]!;
    const durU = s.duration(ru);
    const maxU = p.maxDuration[ru]! + EPS;
    const stride = p.neighbourStride;
    const k = Math.min(this.granularity, p.neighbourCount[u]!);
    for (let j = 0; j < k; j++) {
      const v = p.neighbours[u * stride + j]!;
      const rv = s.routeOf[v]!;
      if (rv < 0) continue;
      if (this.prefixVersion[rv] !== this.version) this.prefix(s, rv);
      const pv = s.posOf[v]!;
      const nv = s.len[rv]!;
      const baseV = rv * s.stride;
      const w = pv > 0 ? seq[baseV + pv - 1]! : s.start[rv]!;
      const y = pv < nv - 1 ? seq[baseV + pv + 1]! : s.end[rv]!;
      const mv = p.travel[p.profile[rv]!]!;
      const rowV = rowBase[v]!;
      const colV = col[v]!;
      const colY = col[y]!;
      const rowW = rowBase[w]!;
      const dVY = mv[rowV + colY]!;
      const dWV = mv[rowW + colV]!;
      const same = ru === rv;
      const fitsLoad = same || s.load[rv]! + qu <= p.capacity[rv]! + EPS;

      // Relocate u right after v.
      if (y !== u && fitsLoad) {
        const insertion = mv[rowV + colU]! + mv[rowU + colY]! - dVY;
        const delta = removal + insertion;
        if (delta < -MIN_GAIN && this.relocateFeasible(s, same, ru, rv, durU, maxU, removal, insertion, su)) {
          return this.applyRelocate(s, u, ru, pu, rv, pv + 1, x, z, v, y);
        }
      }
      // Relocate u right before v.
      if (w !== u && fitsLoad) {
        const insertion = mv[rowW + colU]! + mv[rowU + colV]! - dWV;
        const delta = removal + insertion;
        if (delta < -MIN_GAIN && this.relocateFeasible(s, same, ru, rv, durU, maxU, removal, insertion, su)) {
          return this.applyRelocate(s, u, ru, pu, rv, pv, x, z, w, v);
        }
      }
      // Swap u and v.
      if (same) {
        let delta: number;
        if (z === v) {
          delta = mu[rowX + colV]! + mu[rowV + colU]! + mu[rowU + colY]! - dXU - mu[rowU + colV]! - dVY;
        } else if (y === u) {
          delta = mu[rowW + colU]! + mu[rowU + colV]! + mu[rowV + colZ]! - dWV - mu[rowV + colU]! - dUZ;
        } else {
          delta =
            mu[rowX + colV]! + mu[rowV + colZ]! + mu[rowW + colU]! + mu[rowU + colY]! - dXU - dUZ - dWV - dVY;
        }
        if (delta < -MIN_GAIN && durU + delta <= maxU)
          return this.applySwap(s, u, ru, pu, v, rv, pv, x, z, w, y);
      } else {
        const qv = p.demand[v]!;
        if (
          s.load[ru]! - qu + qv <= p.capacity[ru]! + EPS &&
          s.load[rv]! - qv + qu <= p.capacity[rv]! + EPS
        ) {
          const deltaU = mu[rowX + colV]! + mu[rowV + colZ]! - dXU - dUZ;
          const deltaV = mv[rowW + colU]! + mv[rowU + colY]! - dWV - dVY;
          if (deltaU + deltaV < -MIN_GAIN) {
            const sv = p.service[v]!;
            if (
              durU + deltaU + sv - su <= maxU &&
              s.duration(rv) + deltaV + su - sv <= p.maxDuration[rv]! + EPS
            ) {
              return this.applySwap(s, u, ru, pu, v, rv, pv, x, z, w, y);
            }
          }
        }
      }
      const gain = same ? this.twoOpt(s, ru, pu, pv) : this.twoOptStar(s, u, ru, pu, v, rv, pv);
      if (gain > 0) return gain;
    }
    return 0;
  }

  private relocateFeasible(
    s: Solution,
    same: boolean,
    ru: number,
    rv: number,
    durU: number,
    maxU: number,
    removal: number,
    insertion: number,
    su: number,
  ): boolean {
    if (same) return durU + removal + insertion <= maxU;
    if (s.duration(rv) + insertion + su > this.p.maxDuration[rv]! + EPS) return false;
    return s.len[ru]! === 1 || durU + removal - su <= maxU;
  }

  /** Moves u (at pu in ru) into rv at insertion index `at` (counted before u leaves). */
  private applyRelocate(
    s: Solution,
    u: number,
    ru: number,
    pu: number,
    rv: number,
    at: number,
    x: number,
    z: number,
    a: number,
    b: number,
  ): number {
    const before = s.cost[ru]! + (ru === rv ? 0 : s.cost[rv]!);
    const seq = s.seq;
    if (ru === rv) {
      const base = ru * s.stride;
      const target = at > pu ? at - 1 : at;
      if (target > pu) for (let i = pu; i < target; i++) seq[base + i] = seq[base + i + 1]!;
      else for (let i = pu; i > target; i--) seq[base + i] = seq[base + i - 1]!;
      seq[base + target] = u;
      this.changedRoute(s, ru);
    } else {
      const baseU = ru * s.stride;
      const nu = s.len[ru]!;
      for (let i = pu; i < nu - 1; i++) seq[baseU + i] = seq[baseU + i + 1]!;
      const baseV = rv * s.stride;
      const nv = s.len[rv]!;
      for (let i = nv; i > at; i--) seq[baseV + i] = seq[baseV + i - 1]!;
      seq[baseV + at] = u;
      s.len[ru] = nu - 1;
      s.len[rv] = nv + 1;
      this.changedRoute(s, ru);
      this.changedRoute(s, rv);
    }
    this.enqueue(x);
    this.enqueue(z);
    this.enqueue(a);
    this.enqueue(b);
    return before - s.cost[ru]! - (ru === rv ? 0 : s.cost[rv]!);
  }

  private applySwap(
    s: Solution,
    u: number,
    ru: number,
    pu: number,
    v: number,
    rv: number,
    pv: number,
    x: number,
    z: number,
    w: number,
    y: number,
  ): number {
    const before = s.cost[ru]! + (ru === rv ? 0 : s.cost[rv]!);
    s.seq[ru * s.stride + pu] = v;
    s.seq[rv * s.stride + pv] = u;
    this.changedRoute(s, ru);
    if (rv !== ru) this.changedRoute(s, rv);
    this.enqueue(v);
    this.enqueue(x);
    this.enqueue(z);
    this.enqueue(w);
    this.enqueue(y);
    return before - s.cost[ru]! - (ru === rv ? 0 : s.cost[rv]!);
  }

  /** Intra-route 2-opt: reverses the segment between u and v so that they become consecutive. */
  private twoOpt(s: Solution, r: number, pu: number, pv: number): number {
    const p = this.p;
    const m = p.travel[p.profile[r]!]!;
    const rowBase = p.rowBase;
    const col = p.column;
    const base = r * this.stride;
    const seqBase = r * s.stride;
    // Reverse positions [i, j]: u before the segment (pu < pv) or after it (pu > pv).
    const i = pu < pv ? pu + 1 : pv;
    const j = pu < pv ? pv : pu - 1;
    if (j - i < 1) return 0;
    const n = s.len[r]!;
    const a = i > 0 ? s.seq[seqBase + i - 1]! : s.start[r]!;
    const first = s.seq[seqBase + i]!;
    const last = s.seq[seqBase + j]!;
    const b = j < n - 1 ? s.seq[seqBase + j + 1]! : s.end[r]!;
    const delta =
      m[rowBase[a]! + col[last]!]! +
      m[rowBase[first]! + col[b]!]! -
      m[rowBase[a]! + col[first]!]! -
      m[rowBase[last]! + col[b]!]! +
      (this.bwd[base + j]! - this.bwd[base + i]!) -
      (this.fwd[base + j]! - this.fwd[base + i]!);
    if (delta > -MIN_GAIN) return 0;
    if (s.duration(r) + delta > p.maxDuration[r]! + EPS) return 0;
    const before = s.cost[r]!;
    // In place, without a subarray view: this runs thousands of times a second, and the views were
    // most of the search's garbage.
    const seq = s.seq;
    for (let lo = seqBase + i, hi = seqBase + j; lo < hi; lo++, hi--) {
      const t = seq[lo]!;
      seq[lo] = seq[hi]!;
      seq[hi] = t;
    }
    this.changedRoute(s, r);
    this.enqueue(a);
    this.enqueue(first);
    this.enqueue(last);
    this.enqueue(b);
    return before - s.cost[r]!;
  }

  /**
   * Inter-route 2-opt*: u's route continues with v and the rest of v's route, v's predecessor continues
   * with what followed u. Skipped between vehicles of different travel profiles, whose prefix sums
   * do not transfer.
   */
  private twoOptStar(
    s: Solution,
    u: number,
    ru: number,
    pu: number,
    v: number,
    rv: number,
    pv: number,
  ): number {
    const p = this.p;
    if (p.profile[ru] !== p.profile[rv]) return 0;
    const bu = ru * this.stride;
    const bv = rv * this.stride;
    const nu = s.len[ru]!;
    const nv = s.len[rv]!;
    // Loads first: the cheapest way to rule the move out.
    const loadU = this.loadUpTo[bu + pu]! + s.load[rv]! - (pv > 0 ? this.loadUpTo[bv + pv - 1]! : 0);
    if (loadU > p.capacity[ru]! + EPS) return 0;
    const loadV = s.load[ru]! + s.load[rv]! - loadU;
    if (loadV > p.capacity[rv]! + EPS) return 0;
    const m = p.travel[p.profile[ru]!]!;
    const rowBase = p.rowBase;
    const col = p.column;
    const g = s.group[ru]!;
    const fixedU = p.fixedCost[ru * p.groupCount + g]!;
    const fixedV = p.fixedCost[rv * p.groupCount + g]!;
    const lastU = s.seq[ru * s.stride + nu - 1]!;
    const lastV = s.seq[rv * s.stride + nv - 1]!;
    // New route ru: start..u, v..lastV, end of ru.
    const costU =
      fixedU +
      this.fwd[bu + pu]! +
      m[rowBase[u]! + col[v]!]! +
      (this.fwd[bv + nv - 1]! - this.fwd[bv + pv]!) +
      m[rowBase[lastV]! + col[s.end[ru]!]!]!;
    // New route rv: start..w, z..lastU, end of rv (possibly empty).
    const tailU = nu - pu - 1;
    let costV = 0;
    let w = -1;
    let z = -1;
    if (pv + tailU > 0) {
      w = pv > 0 ? s.seq[rv * s.stride + pv - 1]! : s.start[rv]!;
      const headCost = pv > 0 ? this.fwd[bv + pv - 1]! : 0;
      if (tailU > 0) {
        z = s.seq[ru * s.stride + pu + 1]!;
        costV =
          fixedV +
          headCost +
          m[rowBase[w]! + col[z]!]! +
          (this.fwd[bu + nu - 1]! - this.fwd[bu + pu + 1]!) +
          m[rowBase[lastU]! + col[s.end[rv]!]!]!;
      } else {
        costV = fixedV + headCost + m[rowBase[w]! + col[s.end[rv]!]!]!;
      }
    }
    const before = s.cost[ru]! + s.cost[rv]!;
    if (costU + costV - before > -MIN_GAIN) return 0;
    const serviceU =
      this.serviceUpTo[bu + pu]! + s.service[rv]! - (pv > 0 ? this.serviceUpTo[bv + pv - 1]! : 0);
    const serviceV = s.service[ru]! + s.service[rv]! - serviceU;
    if (costU + serviceU + s.extra[ru]! > p.maxDuration[ru]! + EPS) return 0;
    if (pv + tailU > 0 && costV + serviceV + s.extra[rv]! > p.maxDuration[rv]! + EPS) return 0;
    const buf = this.buf;
    const seq = s.seq;
    const su = ru * s.stride;
    const sv = rv * s.stride;
    let w1 = 0;
    for (let i = 0; i <= pu; i++) buf[w1++] = seq[su + i]!;
    for (let i = pv; i < nv; i++) buf[w1++] = seq[sv + i]!;
    let w2 = w1;
    for (let i = 0; i < pv; i++) buf[w2++] = seq[sv + i]!;
    for (let i = pu + 1; i < nu; i++) buf[w2++] = seq[su + i]!;
    s.rewrite(ru, buf, w1);
    s.rewrite(rv, buf, w2 - w1, w1);
    this.changedRoute(s, ru);
    this.changedRoute(s, rv);
    this.enqueue(u);
    this.enqueue(v);
    if (w >= 0) this.enqueue(w);
    if (z >= 0) this.enqueue(z);
    return before - s.cost[ru]! - s.cost[rv]!;
  }
}
