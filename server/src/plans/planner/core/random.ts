/**
 * Seeded pseudo-random numbers for the solver.
 *
 * The planner must give the same plans for the same input and seed (a supervisor who regenerates a plan
 * must not see crews shuffled for no reason), so `Math.random` is never used. mulberry32 is tiny, fast
 * and good enough for a metaheuristic: its statistical flaws do not matter to a ruin-and-recreate search.
 */
export class SeededRandom {
  private state: number;

  /** Any integer seed works; equal seeds give equal sequences on every platform. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1): the building block of every random decision of the search. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n): picking an index without the float-to-int boilerplate at every call site. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
