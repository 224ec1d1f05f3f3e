import type { VrpProblem } from './problem';
import type { SeededRandom } from './random';
import { FEASIBILITY_EPSILON, type Solution } from './solution';

/** Local copy of the feasibility slack (a module constant the engine can fold into hot loops). */
const EPS = FEASIBILITY_EPSILON;

/** Cost of arc i -> j in matrix m (small enough for the engine to inline). */
function arc(m: Float32Array, rowBase: Int32Array, col: Int32Array, i: number, j: number): number {
  return m[rowBase[i]! + col[j]!]!;
}

/** Improvements smaller than this are rounding noise, not progress (avoids endless cycling). */
const MIN_GAIN = 1e-6;

/**
 * Granular local search: relocate (before/after), swap, 2-opt and 2-opt*, each move only between a
 * customer and one of its nearest neighbours (Toth & Vigo's granular neighbourhoods), first
 * improvement, until no move improves the travel cost. The set of served customers does not change.
 *
 * Route prefix sums (forward cost, backward cost, load, service) make every move an O(1) evaluation,
 * asymmetric travel included; they are rebuilt only for the routes a move changes.
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
  private readonly buf1: Int32Array;
  private readonly buf2: Int32Array;
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
    this.buf1 = new Int32Array(this.stride);
    this.buf2 = new Int32Array(this.stride);
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
  }

  /** Node at position i of route r, the start terminal before it and the end terminal after it. */
  private at(s: Solution, r: number, i: number): number {
    if (i < 0) return s.start[r]!;
    if (i >= s.len[r]!) return s.end[r]!;
    return s.seq[r * s.stride + i]!;
  }

  /**
   * Descends until no granular move improves, or the clock passes `deadline`; returns the total gain.
   * The solution stays feasible throughout.
   */
  run(s: Solution, clock: () => number, deadline: number): number {
    const p = this.p;
    for (let r = 0; r < p.vehicleCount; r++) if (s.len[r]! > 0) this.prefix(s, r);
    let count = 0;
    for (let c = 0; c < p.customerCount; c++) if (s.routeOf[c]! >= 0) this.order[count++] = c;
    for (let i = count - 1; i > 0; i--) {
      const j = this.rng.below(i + 1);
      const t = this.order[i]!;
      this.order[i] = this.order[j]!;
      this.order[j] = t;
    }
    const stride = p.neighbourStride;
    let total = 0;
    let improved = true;
    while (improved) {
      improved = false;
      for (let i = 0; i < count; i++) {
        if ((i & 63) === 0 && clock() >= deadline) return total;
        const u = this.order[i]!;
        if (s.routeOf[u]! < 0) continue;
        const k = Math.min(this.granularity, p.neighbourCount[u]!);
        for (let j = 0; j < k; j++) {
          const v = p.neighbours[u * stride + j]!;
          if (s.routeOf[v]! < 0) continue;
          const gain = this.tryPair(s, u, v);
          if (gain > 0) {
            total += gain;
            improved = true;
          }
        }
      }
    }
    return total;
  }

  /** Tries every move type on the pair (u, v) and applies the first improving one; returns its gain. */
  private tryPair(s: Solution, u: number, v: number): number {
    const ru = s.routeOf[u]!;
    const rv = s.routeOf[v]!;
    let gain = this.relocate(s, u, ru, v, rv, true);
    if (gain > 0) return gain;
    gain = this.relocate(s, u, ru, v, rv, false);
    if (gain > 0) return gain;
    gain = this.swap(s, u, ru, v, rv);
    if (gain > 0) return gain;
    if (ru === rv) return this.twoOpt(s, u, v, ru);
    return this.twoOptStar(s, u, ru, v, rv);
  }

  private fits(s: Solution, r: number, load: number, duration: number): boolean {
    return (
      load <= this.p.capacity[r]! + EPS &&
      duration <= this.p.maxDuration[r]! + EPS
    );
  }

  /** Moves u next to v: right after it (`after`) or right before it. */
  private relocate(s: Solution, u: number, ru: number, v: number, rv: number, after: boolean): number {
    const p = this.p;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    // Target gap (a, b): u goes between a and b.
    const pa = after ? pv : pv - 1;
    const a = this.at(s, rv, pa);
    const b = this.at(s, rv, pa + 1);
    if (a === u || b === u) return 0;
    const x = this.at(s, ru, pu - 1);
    const z = this.at(s, ru, pu + 1);
    const rowBase = p.rowBase;
    const col = p.column;
    const mu = p.travel[p.profile[ru]!]!;
    let removal: number;
    if (s.len[ru] === 1) removal = -s.cost[ru]!;
    else
      removal =
        mu[rowBase[x]! + col[z]!]! - mu[rowBase[x]! + col[u]!]! - mu[rowBase[u]! + col[z]!]!;
    const mv = p.travel[p.profile[rv]!]!;
    const insertion = mv[rowBase[a]! + col[u]!]! + mv[rowBase[u]! + col[b]!]! - mv[rowBase[a]! + col[b]!]!;
    const delta = removal + insertion;
    if (delta > -MIN_GAIN) return 0;
    if (ru === rv) {
      if (s.duration(ru) + delta > p.maxDuration[ru]! + EPS) return 0;
    } else {
      const su = p.service[u]!;
      if (!this.fits(s, rv, s.load[rv]! + p.demand[u]!, s.duration(rv) + insertion + su)) return 0;
      if (s.len[ru]! > 1 && s.duration(ru) + removal - su > p.maxDuration[ru]! + EPS) return 0;
    }
    // Apply: rebuild the affected sequences.
    const before = s.totalCost();
    if (ru === rv) {
      const base = ru * s.stride;
      const n = s.len[ru]!;
      let w = 0;
      // Position of the gap counted without u.
      for (let i = 0; i < n; i++) if (i !== pu) this.buf1[w++] = s.seq[base + i]!;
      // Index of the gap once u is out of the sequence.
      const gap = pa < pu ? pa + 1 : pa;
      this.buf1.copyWithin(gap + 1, gap, w);
      this.buf1[gap] = u;
      s.rewrite(ru, this.buf1, n);
      s.refresh(ru);
      this.prefix(s, ru);
    } else {
      const baseU = ru * s.stride;
      const nu = s.len[ru]!;
      let w = 0;
      for (let i = 0; i < nu; i++) if (i !== pu) this.buf1[w++] = s.seq[baseU + i]!;
      const baseV = rv * s.stride;
      const nv = s.len[rv]!;
      let w2 = 0;
      for (let i = 0; i <= nv; i++) {
        if (i === pa + 1) this.buf2[w2++] = u;
        if (i < nv) this.buf2[w2++] = s.seq[baseV + i]!;
      }
      s.rewrite(ru, this.buf1, w);
      s.rewrite(rv, this.buf2, w2);
      s.refresh(ru);
      s.refresh(rv);
      this.prefix(s, ru);
      this.prefix(s, rv);
    }
    return before - s.totalCost();
  }

  /** Exchanges the positions of u and v. */
  private swap(s: Solution, u: number, ru: number, v: number, rv: number): number {
    const p = this.p;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    const rowBase = p.rowBase;
    const col = p.column;
    const x = this.at(s, ru, pu - 1);
    const z = this.at(s, ru, pu + 1);
    const w = this.at(s, rv, pv - 1);
    const y = this.at(s, rv, pv + 1);
    const mu = p.travel[p.profile[ru]!]!;
    let delta: number;
    let deltaU = 0;
    let deltaV = 0;
    if (ru === rv) {
      if (z === v) {
        delta = arc(mu, rowBase, col, x, v) + arc(mu, rowBase, col, v, u) + arc(mu, rowBase, col, u, y);
        delta -= arc(mu, rowBase, col, x, u) + arc(mu, rowBase, col, u, v) + arc(mu, rowBase, col, v, y);
      } else if (y === u) {
        delta = arc(mu, rowBase, col, w, u) + arc(mu, rowBase, col, u, v) + arc(mu, rowBase, col, v, z);
        delta -= arc(mu, rowBase, col, w, v) + arc(mu, rowBase, col, v, u) + arc(mu, rowBase, col, u, z);
      } else {
        delta = arc(mu, rowBase, col, x, v) + arc(mu, rowBase, col, v, z);
        delta += arc(mu, rowBase, col, w, u) + arc(mu, rowBase, col, u, y);
        delta -= arc(mu, rowBase, col, x, u) + arc(mu, rowBase, col, u, z);
        delta -= arc(mu, rowBase, col, w, v) + arc(mu, rowBase, col, v, y);
      }
      if (delta > -MIN_GAIN) return 0;
      if (s.duration(ru) + delta > p.maxDuration[ru]! + EPS) return 0;
    } else {
      const mv = p.travel[p.profile[rv]!]!;
      deltaU =
        mu[rowBase[x]! + col[v]!]! +
        mu[rowBase[v]! + col[z]!]! -
        mu[rowBase[x]! + col[u]!]! -
        mu[rowBase[u]! + col[z]!]!;
      deltaV =
        mv[rowBase[w]! + col[u]!]! +
        mv[rowBase[u]! + col[y]!]! -
        mv[rowBase[w]! + col[v]!]! -
        mv[rowBase[v]! + col[y]!]!;
      delta = deltaU + deltaV;
      if (delta > -MIN_GAIN) return 0;
      const dq = p.demand[v]! - p.demand[u]!;
      const ds = p.service[v]! - p.service[u]!;
      if (!this.fits(s, ru, s.load[ru]! + dq, s.duration(ru) + deltaU + ds)) return 0;
      if (!this.fits(s, rv, s.load[rv]! - dq, s.duration(rv) + deltaV - ds)) return 0;
    }
    const before = s.totalCost();
    s.seq[ru * s.stride + pu] = v;
    s.seq[rv * s.stride + pv] = u;
    s.refresh(ru);
    this.prefix(s, ru);
    if (rv !== ru) {
      s.refresh(rv);
      this.prefix(s, rv);
    }
    return before - s.totalCost();
  }

  /** Intra-route 2-opt: reverses the segment between u and v so that they become consecutive. */
  private twoOpt(s: Solution, u: number, v: number, r: number): number {
    const p = this.p;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    const m = p.travel[p.profile[r]!]!;
    const rowBase = p.rowBase;
    const col = p.column;
    const base = r * this.stride;
    // Reverse positions [i, j]: u before the segment (pu < pv) or after it (pu > pv).
    let i: number;
    let j: number;
    if (pu < pv) {
      i = pu + 1;
      j = pv;
    } else {
      i = pv;
      j = pu - 1;
    }
    if (j - i < 1) return 0;
    const a = this.at(s, r, i - 1);
    const first = s.seq[r * s.stride + i]!;
    const last = s.seq[r * s.stride + j]!;
    const b = this.at(s, r, j + 1);
    const forward = this.fwd[base + j]! - this.fwd[base + i]!;
    const backward = this.bwd[base + j]! - this.bwd[base + i]!;
    const delta =
      m[rowBase[a]! + col[last]!]! +
      m[rowBase[first]! + col[b]!]! -
      m[rowBase[a]! + col[first]!]! -
      m[rowBase[last]! + col[b]!]! +
      backward -
      forward;
    if (delta > -MIN_GAIN) return 0;
    if (s.duration(r) + delta > p.maxDuration[r]! + EPS) return 0;
    const before = s.totalCost();
    s.seq.subarray(r * s.stride + i, r * s.stride + j + 1).reverse();
    s.refresh(r);
    this.prefix(s, r);
    return before - s.totalCost();
  }

  /**
   * Inter-route 2-opt*: u's route continues with v and the rest of v's route, v's predecessor continues
   * with what followed u. Skipped between vehicles of different travel profiles, whose prefix sums
   * do not transfer.
   */
  private twoOptStar(s: Solution, u: number, ru: number, v: number, rv: number): number {
    const p = this.p;
    if (p.profile[ru] !== p.profile[rv]) return 0;
    const m = p.travel[p.profile[ru]!]!;
    const rowBase = p.rowBase;
    const col = p.column;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    const nu = s.len[ru]!;
    const nv = s.len[rv]!;
    const bu = ru * this.stride;
    const bv = rv * this.stride;
    const g = s.group[ru]!;
    const fixedU = p.fixedCost[ru * p.groupCount + g]!;
    const fixedV = p.fixedCost[rv * p.groupCount + g]!;
    const lastU = s.seq[bu + nu - 1]!;
    const lastV = s.seq[bv + nv - 1]!;
    const endU = s.end[ru]!;
    const endV = s.end[rv]!;
    // New route ru: start..u, v..lastV, endU.
    const costU =
      fixedU +
      this.fwd[bu + pu]! +
      m[rowBase[u]! + col[v]!]! +
      (this.fwd[bv + nv - 1]! - this.fwd[bv + pv]!) +
      m[rowBase[lastV]! + col[endU]!]!;
    const loadU = this.loadUpTo[bu + pu]! + s.load[rv]! - (pv > 0 ? this.loadUpTo[bv + pv - 1]! : 0);
    const serviceU = this.serviceUpTo[bu + pu]! + s.service[rv]! - (pv > 0 ? this.serviceUpTo[bv + pv - 1]! : 0);
    // New route rv: start..w, z..lastU, endV (possibly empty).
    const headV = pv; // customers kept at the head of rv
    const tailU = nu - pu - 1; // customers moved from ru
    let costV = 0;
    if (headV + tailU > 0) {
      const w = this.at(s, rv, pv - 1);
      const z = this.at(s, ru, pu + 1);
      const headCost = pv > 0 ? this.fwd[bv + pv - 1]! : 0;
      if (tailU > 0) {
        costV =
          fixedV +
          headCost +
          m[rowBase[w]! + col[z]!]! +
          (this.fwd[bu + nu - 1]! - this.fwd[bu + pu + 1]!) +
          m[rowBase[lastU]! + col[endV]!]!;
      } else {
        costV = fixedV + headCost + m[rowBase[w]! + col[endV]!]!;
      }
    }
    const delta = costU + costV - s.cost[ru]! - s.cost[rv]!;
    if (delta > -MIN_GAIN) return 0;
    const loadV = s.load[ru]! + s.load[rv]! - loadU;
    const serviceV = s.service[ru]! + s.service[rv]! - serviceU;
    if (!this.fits(s, ru, loadU, costU + serviceU + s.extra[ru]!)) return 0;
    if (headV + tailU > 0 && !this.fits(s, rv, loadV, costV + serviceV + s.extra[rv]!)) return 0;
    let w1 = 0;
    for (let i = 0; i <= pu; i++) this.buf1[w1++] = s.seq[bu + i]!;
    for (let i = pv; i < nv; i++) this.buf1[w1++] = s.seq[bv + i]!;
    let w2 = 0;
    for (let i = 0; i < pv; i++) this.buf2[w2++] = s.seq[bv + i]!;
    for (let i = pu + 1; i < nu; i++) this.buf2[w2++] = s.seq[bu + i]!;
    const before = s.totalCost();
    s.rewrite(ru, this.buf1, w1);
    s.rewrite(rv, this.buf2, w2);
    s.refresh(ru);
    s.refresh(rv);
    this.prefix(s, ru);
    if (w2 > 0) this.prefix(s, rv);
    return before - s.totalCost();
  }
}
