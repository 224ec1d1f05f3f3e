import { describe, expect, it } from 'vitest';
import {
  cvrpArc,
  cvrpFleetSize,
  cvrpRoutesCost,
  parseCvrplib,
  parseCvrplibSolution,
  solveCvrp,
  validateCvrpRoutes,
} from '../../../server/src/plans/planner/cvrplib';

// A-n32-k5 and its best-known solution, byte for byte from CVRPLIB (PyVRP/VRPLIB @0e44502), inlined so
// the test does not depend on the benchmark folder next to the repository.
const A_N32_K5 = `NAME : A-n32-k5
COMMENT : (Augerat et al, No of trucks: 5, Optimal value: 784)
TYPE : CVRP
DIMENSION : 32
EDGE_WEIGHT_TYPE : EUC_2D 
CAPACITY : 100
NODE_COORD_SECTION 
 1 82 76
 2 96 44
 3 50 5
 4 49 8
 5 13 7
 6 29 89
 7 58 30
 8 84 39
 9 14 24
 10 2 39
 11 3 82
 12 5 10
 13 98 52
 14 84 25
 15 61 59
 16 1 65
 17 88 51
 18 91 2
 19 19 32
 20 93 3
 21 50 93
 22 98 14
 23 5 42
 24 42 9
 25 61 62
 26 9 97
 27 80 55
 28 57 69
 29 23 15
 30 20 70
 31 85 60
 32 98 5
DEMAND_SECTION 
1 0 
2 19 
3 21 
4 6 
5 19 
6 7 
7 12 
8 16 
9 6 
10 16 
11 8 
12 14 
13 21 
14 16 
15 3 
16 22 
17 18 
18 19 
19 1 
20 24 
21 8 
22 12 
23 4 
24 8 
25 24 
26 24 
27 2 
28 20 
29 15 
30 2 
31 14 
32 9 
DEPOT_SECTION 
 1  
 -1  
EOF 
`;

const A_N32_K5_SOL = `Route #1: 21 31 19 17 13 7 26
Route #2: 12 1 16 30
Route #3: 27 24
Route #4: 29 18 8 9 22 15 10 25 5 20
Route #5: 14 28 11 4 23 3 2 6
Cost 784
`;

describe('parseCvrplib', () => {
  it('reads the header, coordinates, demands and depot of a real instance', () => {
    const instance = parseCvrplib(A_N32_K5);
    expect(instance.name).toBe('A-n32-k5');
    expect(instance.dimension).toBe(32);
    expect(instance.capacity).toBe(100);
    expect(instance.depot).toBe(0);
    expect([instance.x[0], instance.y[0]]).toEqual([82, 76]);
    expect([instance.x[31], instance.y[31]]).toEqual([98, 5]);
    expect(instance.demand[0]).toBe(0);
    expect(instance.demand.reduce((a, b) => a + b, 0)).toBe(410);
  });

  it('rejects instances that are not EUC_2D', () => {
    expect(() => parseCvrplib(A_N32_K5.replace('EUC_2D', 'GEO'))).toThrow(/EDGE_WEIGHT_TYPE/);
  });
});

describe('CVRPLIB solutions', () => {
  it('recomputes the published cost from the routes with TSPLIB rounding', () => {
    const instance = parseCvrplib(A_N32_K5);
    const solution = parseCvrplibSolution(A_N32_K5_SOL);
    expect(solution.routes).toHaveLength(5);
    expect(solution.cost).toBe(784);
    expect(cvrpRoutesCost(instance, solution.routes)).toBe(784);
    expect(validateCvrpRoutes(instance, solution.routes, 5)).toEqual([]);
  });

  it('rounds arcs to the nearest integer', () => {
    const instance = parseCvrplib(A_N32_K5);
    // Depot (82,76) to customer 1 (96,44): sqrt(14² + 32²) = 34.93 -> 35.
    expect(cvrpArc(instance, 0, 1)).toBe(35);
  });

  it('finds missing, repeated and overloaded customers and too many routes', () => {
    const instance = parseCvrplib(A_N32_K5);
    const routes = parseCvrplibSolution(A_N32_K5_SOL).routes.map((r) => [...r]);
    routes[0]!.push(routes[1]![0]!);
    routes[2]!.pop();
    const problems = validateCvrpRoutes(instance, routes, 4);
    expect(problems.some((p) => p.includes('routes for a fleet of 4'))).toBe(true);
    expect(problems.some((p) => p.includes('served 2 times'))).toBe(true);
    expect(problems.some((p) => p.includes('not served'))).toBe(true);
    expect(problems.some((p) => p.includes('> capacity'))).toBe(true);
  });

  it('sizes the fleet from the name for A/B/P and from total demand for X', () => {
    const instance = parseCvrplib(A_N32_K5);
    expect(cvrpFleetSize(instance)).toBe(5);
    // X rule: int(1 + 1.07 * 410 / 100) = 5.
    expect(cvrpFleetSize({ ...instance, name: 'X-n32-k5' })).toBe(5);
    expect(cvrpFleetSize({ ...instance, name: 'X-n32-k5', capacity: 50 })).toBe(9);
  });
});

describe('solveCvrp', () => {
  it('returns valid routes within 3 % of the optimum of A-n32-k5 after a short search', () => {
    const instance = parseCvrplib(A_N32_K5);
    const run = solveCvrp(instance, { timeBudgetMs: 60_000, iterationLimit: 400, seed: 3 });
    expect(validateCvrpRoutes(instance, run.routes, 5)).toEqual([]);
    expect(run.unserved).toBe(0);
    expect(run.cost).toBe(cvrpRoutesCost(instance, run.routes));
    expect(run.cost).toBeLessThanOrEqual(784 * 1.03);
  });
});
