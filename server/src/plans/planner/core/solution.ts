import type { VrpProblem } from './problem';

/** Feasibility slack: travel is stored in 32-bit floats, and a plan must never go over by rounding. */
export const FEASIBILITY_EPSILON = 1e-7;

/**
 * A set of routes, one slot per vehicle, stored in flat typed arrays so that the search can copy,
 * compare and edit solutions without allocating. Route r is driven by vehicle r.
 *
 * Route totals are recomputed from the sequence on every change (routes are short), so floating-point
 * drift never accumulates over hundreds of thousands of moves.
 */
export class Solution {
  /** The problem this solution belongs to. */
  readonly problem: VrpProblem;
  /** Slots per route in `seq` (the longest possible route). */
  readonly stride: number;
  /** Route of each customer, -1 when unserved. */
  readonly routeOf: Int32Array;
  /** Position of each served customer in its route. */
  readonly posOf: Int32Array;
  /** Customer sequences, route r at `r * stride`. */
  readonly seq: Int32Array;
  /** Customers per route. */
  readonly len: Int32Array;
  /** Group served by each route, -1 while empty. */
  readonly group: Int32Array;
  /** First node of each route (depot or supply point), -1 while empty. */
  readonly start: Int32Array;
  /** Last node of each route (the depot), -1 while empty. */
  readonly end: Int32Array;
  /** Cost of the arc entering each position (position len: the arc into the end node), `stride + 1` per route. */
  readonly arcs: Float64Array;
  /** Load per route. */
  readonly load: Float64Array;
  /** Service time per route. */
  readonly service: Float64Array;
  /** Travel cost per route, fixed cost included. */
  readonly cost: Float64Array;
  /** Fixed extra duration per route (supply point service). */
  readonly extra: Float64Array;
  /** Sum of the prizes of unserved customers: the first criterion of the objective. */
  unservedPrize: number;
  /** Number of served customers. */
  servedCount: number;

  /** An empty solution: every customer unserved, every route empty. */
  constructor(problem: VrpProblem) {
    this.problem = problem;
    const n = problem.customerCount;
    const v = problem.vehicleCount;
    this.stride = Math.max(1, n);
    this.routeOf = new Int32Array(n).fill(-1);
    this.posOf = new Int32Array(n).fill(-1);
    this.seq = new Int32Array(v * this.stride);
    this.len = new Int32Array(v);
    this.group = new Int32Array(v).fill(-1);
    this.start = new Int32Array(v).fill(-1);
    this.end = new Int32Array(v).fill(-1);
    this.arcs = new Float64Array(v * (this.stride + 1));
    this.load = new Float64Array(v);
    this.service = new Float64Array(v);
    this.cost = new Float64Array(v);
    this.extra = new Float64Array(v);
    let prize = 0;
    for (let c = 0; c < n; c++) prize += problem.prize[c]!;
    this.unservedPrize = prize;
    this.servedCount = 0;
  }

  /** Travel + service + fixed extra of route r: what the duration limit applies to. */
  duration(r: number): number {
    return this.cost[r]! + this.service[r]! + this.extra[r]!;
  }

  /** Sum of route travel costs: the second criterion of the objective. */
  totalCost(): number {
    let total = 0;
    for (let r = 0; r < this.problem.vehicleCount; r++) total += this.cost[r]!;
    return total;
  }

  /** Number of non-empty routes. */
  usedRoutes(): number {
    let used = 0;
    for (let r = 0; r < this.problem.vehicleCount; r++) if (this.len[r]! > 0) used++;
    return used;
  }

  /** Lexicographic comparison: negative when this solution is better than `other`. */
  compare(other: Solution): number {
    const d = this.unservedPrize - other.unservedPrize;
    if (d !== 0) return d;
    return this.totalCost() - other.totalCost();
  }

  /** Binds an empty route to a group, which fixes its terminals and its fixed cost. */
  open(r: number, g: number): void {
    const p = this.problem;
    const k = r * p.groupCount + g;
    this.group[r] = g;
    this.start[r] = p.startNode[k]!;
    this.end[r] = p.endNode[k]!;
    this.extra[r] = p.fixedExtra[k]!;
  }

  /** Recomputes the totals and positions of route r from its sequence. */
  refresh(r: number): void {
    const p = this.problem;
    const n = this.len[r]!;
    const base = r * this.stride;
    if (n === 0) {
      this.group[r] = -1;
      this.start[r] = -1;
      this.end[r] = -1;
      this.load[r] = 0;
      this.service[r] = 0;
      this.cost[r] = 0;
      this.extra[r] = 0;
      return;
    }
    const m = p.travel[p.profile[r]!]!;
    const rowBase = p.rowBase;
    const column = p.column;
    const arcBase = r * (this.stride + 1);
    let prev = this.start[r]!;
    let cost = p.fixedCost[r * p.groupCount + this.group[r]!]!;
    let load = 0;
    let service = 0;
    for (let i = 0; i < n; i++) {
      const c = this.seq[base + i]!;
      const arc = m[rowBase[prev]! + column[c]!]!;
      this.arcs[arcBase + i] = arc;
      cost += arc;
      load += p.demand[c]!;
      service += p.service[c]!;
      this.routeOf[c] = r;
      this.posOf[c] = i;
      prev = c;
    }
    const last = m[rowBase[prev]! + column[this.end[r]!]!]!;
    this.arcs[arcBase + n] = last;
    cost += last;
    this.cost[r] = cost;
    this.load[r] = load;
    this.service[r] = service;
  }

  /** Inserts unserved customer c at position `pos` of route r (opening the route if it is empty). */
  insert(r: number, pos: number, c: number): void {
    const p = this.problem;
    const n = this.len[r]!;
    this.unservedPrize -= p.prize[c]!;
    this.servedCount++;
    const base = r * this.stride;
    if (n === 0) {
      this.open(r, p.nodeGroup[c]!);
      this.seq[base] = c;
      this.len[r] = 1;
      this.refresh(r);
      return;
    }
    // Incremental: shift, then replace the arc (prev, next) by (prev, c) and (c, next).
    const seq = this.seq;
    for (let i = base + n; i > base + pos; i--) seq[i] = seq[i - 1]!;
    seq[base + pos] = c;
    this.len[r] = n + 1;
    const arcBase = r * (this.stride + 1);
    const arcs = this.arcs;
    for (let i = arcBase + n + 1; i > arcBase + pos; i--) arcs[i] = arcs[i - 1]!;
    const m = p.travel[p.profile[r]!]!;
    const prev = pos > 0 ? seq[base + pos - 1]! : this.start[r]!;
    const next = pos < n ? seq[base + pos + 1]! : this.end[r]!;
    const into = m[p.rowBase[prev]! + p.column[c]!]!;
    const out = m[p.rowBase[c]! + p.column[next]!]!;
    this.cost[r] = this.cost[r]! + into + out - arcs[arcBase + pos]!;
    arcs[arcBase + pos] = into;
    arcs[arcBase + pos + 1] = out;
    this.load[r] = this.load[r]! + p.demand[c]!;
    this.service[r] = this.service[r]! + p.service[c]!;
    for (let i = pos; i <= n; i++) {
      const x = seq[base + i]!;
      this.routeOf[x] = r;
      this.posOf[x] = i;
    }
  }

  /**
   * Removes `count` customers from position `from` of route r, appending them to `out` at `outAt`;
   * returns the new end of `out`.
   */
  removeRange(r: number, from: number, count: number, out: Int32Array, outAt: number): number {
    const p = this.problem;
    const base = r * this.stride;
    const n = this.len[r]!;
    const seq = this.seq;
    const arcBase = r * (this.stride + 1);
    const arcs = this.arcs;
    let cost = this.cost[r]!;
    let load = this.load[r]!;
    let service = this.service[r]!;
    for (let i = 0; i < count; i++) {
      const c = seq[base + from + i]!;
      out[outAt++] = c;
      this.routeOf[c] = -1;
      this.posOf[c] = -1;
      this.unservedPrize += p.prize[c]!;
      cost -= arcs[arcBase + from + i]!;
      load -= p.demand[c]!;
      service -= p.service[c]!;
    }
    this.servedCount -= count;
    this.len[r] = n - count;
    if (n === count) {
      this.refresh(r);
      return outAt;
    }
    // Incremental: the removed arcs give way to a single arc (prev, next).
    cost -= arcs[arcBase + from + count]!;
    const prev = from > 0 ? seq[base + from - 1]! : this.start[r]!;
    const next = from + count < n ? seq[base + from + count]! : this.end[r]!;
    const m = p.travel[p.profile[r]!]!;
    const bridge = m[p.rowBase[prev]! + p.column[next]!]!;
    // Plain loops: copyWithin's call overhead dominates on routes this short.
    for (let i = base + from; i < base + n - count; i++) seq[i] = seq[i + count]!;
    for (let i = arcBase + from + 1; i <= arcBase + n - count; i++) arcs[i] = arcs[i + count]!;
    arcs[arcBase + from] = bridge;
    this.cost[r] = cost + bridge;
    this.load[r] = load;
    this.service[r] = service;
    for (let i = from; i < n - count; i++) this.posOf[seq[base + i]!] = i;
    return outAt;
  }

  /** Replaces route r by `customers` (all currently unserved or already in r), binding it to their group. */
  setRoute(r: number, customers: ArrayLike<number>, count: number): void {
    const base = r * this.stride;
    const prize = this.problem.prize;
    for (let i = 0; i < this.len[r]!; i++) {
      const c = this.seq[base + i]!;
      this.routeOf[c] = -1;
      this.posOf[c] = -1;
      this.unservedPrize += prize[c]!;
    }
    this.servedCount -= this.len[r]!;
    this.len[r] = 0;
    if (count === 0) {
      this.refresh(r);
      return;
    }
    this.open(r, this.problem.nodeGroup[customers[0]!]!);
    for (let i = 0; i < count; i++) {
      const c = customers[i]!;
      this.seq[base + i] = c;
      this.unservedPrize -= prize[c]!;
    }
    this.servedCount += count;
    this.len[r] = count;
    this.refresh(r);
  }

  /**
   * Overwrites the sequence of route r without touching bookkeeping; the caller rewrites every route the
   * customers came from, then calls `refresh` on each (moves between served routes keep the prize sum).
   * The customers are `customers[from .. from + count)`.
   */
  rewrite(r: number, customers: ArrayLike<number>, count: number, from = 0): void {
    const base = r * this.stride;
    if (count > 0 && this.len[r] === 0) this.open(r, this.problem.nodeGroup[customers[from]!]!);
    for (let i = 0; i < count; i++) this.seq[base + i] = customers[from + i]!;
    this.len[r] = count;
  }

  /** Makes this solution an exact copy of `other`. */
  copyFrom(other: Solution): void {
    this.routeOf.set(other.routeOf);
    this.posOf.set(other.posOf);
    const arcStride = this.stride + 1;
    for (let r = 0; r < this.problem.vehicleCount; r++) {
      const base = r * this.stride;
      this.seq.set(other.seq.subarray(base, base + other.len[r]!), base);
      const arcBase = r * arcStride;
      this.arcs.set(other.arcs.subarray(arcBase, arcBase + other.len[r]! + 1), arcBase);
    }
    this.len.set(other.len);
    this.group.set(other.group);
    this.start.set(other.start);
    this.end.set(other.end);
    this.load.set(other.load);
    this.service.set(other.service);
    this.cost.set(other.cost);
    this.extra.set(other.extra);
    this.unservedPrize = other.unservedPrize;
    this.servedCount = other.servedCount;
  }

  /**
   * Copies only the listed routes from `other`, assuming every other route is already identical: this is
   * how a rejected ruin-and-recreate move is undone, or an accepted one adopted, in time proportional to
   * what it touched.
   */
  syncRoutes(other: Solution, routes: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const r = routes[i]!;
      const base = r * this.stride;
      for (let j = 0; j < this.len[r]!; j++) {
        const c = this.seq[base + j]!;
        this.routeOf[c] = -1;
        this.posOf[c] = -1;
      }
    }
    for (let i = 0; i < count; i++) {
      const r = routes[i]!;
      const base = r * this.stride;
      const n = other.len[r]!;
      for (let j = 0; j < n; j++) {
        const c = other.seq[base + j]!;
        this.seq[base + j] = c;
        this.routeOf[c] = r;
        this.posOf[c] = j;
      }
      const arcBase = r * (this.stride + 1);
      for (let j = 0; j <= n; j++) this.arcs[arcBase + j] = other.arcs[arcBase + j]!;
      this.len[r] = n;
      this.group[r] = other.group[r]!;
      this.start[r] = other.start[r]!;
      this.end[r] = other.end[r]!;
      this.load[r] = other.load[r]!;
      this.service[r] = other.service[r]!;
      this.cost[r] = other.cost[r]!;
      this.extra[r] = other.extra[r]!;
    }
    this.unservedPrize = other.unservedPrize;
    this.servedCount = other.servedCount;
  }

  /** Customer sequences of every route, empty ones included, for callers outside the solver. */
  routes(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.problem.vehicleCount; r++) {
      const base = r * this.stride;
      out.push(Array.from(this.seq.subarray(base, base + this.len[r]!)));
    }
    return out;
  }

  /** Whether route r respects its vehicle's capacity and duration limits. */
  routeFeasible(r: number): boolean {
    const p = this.problem;
    return (
      this.load[r]! <= p.capacity[r]! + FEASIBILITY_EPSILON &&
      this.duration(r) <= p.maxDuration[r]! + FEASIBILITY_EPSILON
    );
  }

  /**
   * Describes the first inconsistency found (bookkeeping, groups, limits), or null. Used by tests and
   * debug runs: the search itself trusts its incremental updates.
   */
  audit(): string | null {
    const p = this.problem;
    const seen = new Int32Array(p.customerCount);
    let served = 0;
    let unserved = 0;
    for (let r = 0; r < p.vehicleCount; r++) {
      const n = this.len[r]!;
      const base = r * this.stride;
      for (let i = 0; i < n; i++) {
        const c = this.seq[base + i]!;
        if (seen[c]) return `customer ${c} appears twice`;
        seen[c] = 1;
        served++;
        if (this.routeOf[c] !== r || this.posOf[c] !== i) return `customer ${c} has a stale position`;
        if (p.nodeGroup[c] !== this.group[r]) return `route ${r} mixes groups`;
      }
      if (n > 0 && p.startNode[r * p.groupCount + this.group[r]!]! < 0)
        return `vehicle ${r} cannot serve its group`;
      const cost = this.cost[r]!;
      this.refresh(r);
      if (Math.abs(cost - this.cost[r]!) > 1e-6 * Math.max(1, cost)) return `route ${r} has a stale cost`;
      if (!this.routeFeasible(r)) return `route ${r} breaks a limit`;
    }
    for (let c = 0; c < p.customerCount; c++) {
      if (!seen[c]) {
        unserved += p.prize[c]!;
        if (this.routeOf[c] !== -1) return `unserved customer ${c} points at a route`;
      }
    }
    if (served !== this.servedCount) return 'served count is stale';
    if (Math.abs(unserved - this.unservedPrize) > 1e-6 * Math.max(1, unserved))
      return 'unserved prize is stale';
    return null;
  }
}
