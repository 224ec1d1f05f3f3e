import type { RuinRecreate } from './ruin-recreate';
import type { Solution } from './solution';

/**
 * Guarantees the "top tier first" rule after the search: an unserved top-tier customer (a danger report)
 * is never left out while a vehicle that could serve it spends its route on lower-tier customers.
 *
 * The search already prefers top-tier customers (their prize outweighs everything else), but it is a
 * heuristic; this pass makes the rule hold for certain. For each unserved top-tier customer it tries,
 * vehicle by vehicle: in a route of the same group, dropping that route's lower-tier customers to make
 * room; in a route holding no top-tier customer (or an empty one), giving the vehicle to this customer's
 * group. Displaced customers are then reinserted wherever they fit.
 */
export function enforceTopTier(s: Solution, rr: RuinRecreate, top: Uint8Array): void {
  const p = s.problem;
  const waiting: number[] = [];
  for (let c = 0; c < p.customerCount; c++) if (top[c] && s.routeOf[c] === -1) waiting.push(c);
  waiting.sort((a, b) => p.prize[b]! - p.prize[a]! || a - b);
  for (const c of waiting) {
    if (s.routeOf[c] !== -1) continue;
    rr.beginMove();
    if (rr.insertBest(s, c, 0)) continue;
    placeByDisplacing(s, rr, top, c);
  }
}

function placeByDisplacing(s: Solution, rr: RuinRecreate, top: Uint8Array, c: number): boolean {
  const p = s.problem;
  const g = p.nodeGroup[c]!;
  for (let r = 0; r < p.vehicleCount; r++) {
    if (p.startNode[r * p.groupCount + g]! < 0) continue;
    const base = r * s.stride;
    const before = Array.from(s.seq.subarray(base, base + s.len[r]!));
    const kept = before.filter((x) => top[x]);
    const displaced = before.filter((x) => !top[x]);
    if (displaced.length === 0 && before.length > 0) continue;
    if (before.length > 0 && s.group[r] !== g && kept.length > 0) continue;
    s.setRoute(r, s.group[r] === g ? kept : [], s.group[r] === g ? kept.length : 0);
    if (rr.insertInto(s, r, c)) {
      displaced.sort((a, b) => p.prize[b]! - p.prize[a]! || a - b);
      for (const x of displaced) rr.insertBest(s, x, 0);
      return true;
    }
    s.setRoute(r, before, before.length);
  }
  return false;
}
