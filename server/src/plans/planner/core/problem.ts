/**
 * The routing problem the core solver works on, in flat typed arrays.
 *
 * One shape covers both uses of the solver: classic CVRP benchmarks (one group, one depot, identical
 * vehicles, every customer mandatory) and Vigie's crew rounds (one group per work type, a crew's route
 * holds one work type only, optional reports with prizes, a working day as the duration limit, a supply
 * point visited first). Nodes `0..customerCount-1` are customers; the others are terminals (depots and
 * supply points) that routes start and end at.
 *
 * Travel is stored per group as a dense block, because a route never mixes groups: Vigie's 5,000 reports
 * over 6 work types need six 850² blocks instead of one 5,000² matrix. The cost of arc i→j is
 * `travel[profile][rowBase[i] + column[j]]`; it is only meaningful when i and j are in the same group.
 * Terminals that several groups use are copied once per group for that reason.
 */
export interface VrpProblem {
  /** Customers are nodes 0..customerCount-1. */
  readonly customerCount: number;
  /** Customers plus terminals. */
  readonly nodeCount: number;
  /** Number of groups (work types); 1 for CVRP. */
  readonly groupCount: number;
  /** Number of vehicles (crews); each vehicle drives at most one route. */
  readonly vehicleCount: number;
  /** Group of every node; a route only holds customers of one group. */
  readonly nodeGroup: Int32Array;
  /** Start of the node's row in its group block of `travel`. */
  readonly rowBase: Int32Array;
  /** Column of the node inside its group block. */
  readonly column: Int32Array;
  /** Arc costs (minutes, or rounded distances for CVRP) per travel profile, all with the same layout. */
  readonly travel: readonly Float32Array[];
  /** Whether every arc costs the same both ways: enables the faster row-only insertion scan. */
  readonly symmetric: boolean;
  /** Load each customer takes from the vehicle's capacity. */
  readonly demand: Float64Array;
  /** Time spent at each customer, counted in the route duration but not in the travel cost. */
  readonly service: Float64Array;
  /**
   * What serving each customer is worth. Search is lexicographic: first the smallest sum of prizes left
   * unserved, then the smallest travel cost. Integers keep that sum exact under incremental updates.
   */
  readonly prize: Float64Array;
  /** True when leaving customers out is a normal outcome (crew rounds), false for CVRP. */
  readonly optionalCustomers: boolean;
  /** Load limit per vehicle (Infinity for none). */
  readonly capacity: Float64Array;
  /** Duration limit per vehicle: travel + service + fixed extra (Infinity for none). */
  readonly maxDuration: Float64Array;
  /** Travel profile (index into `travel`) per vehicle, e.g. crews driving at different speeds. */
  readonly profile: Int32Array;
  /** Start node of vehicle v serving group g at `v * groupCount + g`; -1 when v cannot serve g. */
  readonly startNode: Int32Array;
  /** End node of vehicle v serving group g, same indexing. */
  readonly endNode: Int32Array;
  /** Travel cost paid before `startNode` once the route is used (depot to supply point). */
  readonly fixedCost: Float64Array;
  /** Duration paid once the route is used on top of travel (service at the supply point). */
  readonly fixedExtra: Float64Array;
  /** Nearest customers of the same group, `neighbourStride` slots per customer, closest first. */
  readonly neighbours: Int32Array;
  /** How many slots of `neighbours` each customer actually fills. */
  readonly neighbourCount: Int32Array;
  /** Slots reserved per customer in `neighbours`. */
  readonly neighbourStride: number;
}

/** Everything needed to describe a problem except the derived neighbour lists. */
export type VrpProblemSpec = Omit<VrpProblem, 'neighbours' | 'neighbourCount' | 'neighbourStride'>;

/** Neighbour lists longer than this cost time and almost never change a ruin or a move. */
export const DEFAULT_NEIGHBOURS = 40;

/**
 * Adds the nearest-neighbour lists (by the symmetrised cost of the first profile) that both the string
 * removals and the granular local search walk, so neither ever scans all customers.
 */
export function withNeighbours(spec: VrpProblemSpec, k: number = DEFAULT_NEIGHBOURS): VrpProblem {
  const n = spec.customerCount;
  const byGroup: number[][] = Array.from({ length: spec.groupCount }, () => []);
  for (let c = 0; c < n; c++) byGroup[spec.nodeGroup[c]!]!.push(c);
  const stride = Math.max(1, k);
  const neighbours = new Int32Array(n * stride);
  const neighbourCount = new Int32Array(n);
  const m = spec.travel[0]!;
  const rowBase = spec.rowBase;
  const column = spec.column;
  const bestCost = new Float64Array(stride);
  const symmetric = spec.symmetric;
  for (const list of byGroup) {
    const members = Int32Array.from(list);
    const size = members.length;
    const cols = Int32Array.from(list, (o) => column[o]!);
    const rows = Int32Array.from(list, (o) => rowBase[o]!);
    for (let a = 0; a < size; a++) {
      const c = members[a]!;
      const rowC = rows[a]!;
      const colC = cols[a]!;
      let count = 0;
      let worst = Infinity;
      const base = c * stride;
      for (let b = 0; b < size; b++) {
        if (b === a) continue;
        const d = symmetric ? m[rowC + cols[b]!]! : m[rowC + cols[b]!]! + m[rows[b]! + colC]!;
        if (d >= worst) continue;
        // Insertion into the short sorted buffer: k is small, a heap would not pay off.
        let i = count < stride ? count++ : count - 1;
        while (i > 0 && bestCost[i - 1]! > d) {
          bestCost[i] = bestCost[i - 1]!;
          neighbours[base + i] = neighbours[base + i - 1]!;
          i--;
        }
        bestCost[i] = d;
        neighbours[base + i] = members[b]!;
        if (count === stride) worst = bestCost[count - 1]!;
      }
      neighbourCount[c] = count;
    }
  }
  // One object literal with every field in a fixed order, not a spread: V8 gives spread copies a map
  // of their own, so each new problem made the solver's property reads polymorphic, then megamorphic,
  // and its hot loops ran deoptimised for much of every new problem's first budget (measured: a
  // third of the iterations on the benchmark's first run of each instance).
  return {
    customerCount: spec.customerCount,
    nodeCount: spec.nodeCount,
    groupCount: spec.groupCount,
    vehicleCount: spec.vehicleCount,
    nodeGroup: spec.nodeGroup,
    rowBase: spec.rowBase,
    column: spec.column,
    travel: spec.travel,
    symmetric: spec.symmetric,
    demand: spec.demand,
    service: spec.service,
    prize: spec.prize,
    optionalCustomers: spec.optionalCustomers,
    capacity: spec.capacity,
    maxDuration: spec.maxDuration,
    profile: spec.profile,
    startNode: spec.startNode,
    endNode: spec.endNode,
    fixedCost: spec.fixedCost,
    fixedExtra: spec.fixedExtra,
    neighbours,
    neighbourCount,
    neighbourStride: stride,
  };
}

/**
 * Builds a single-group problem from one dense square matrix (CVRP and similar benchmarks), where node
 * `depot` is the terminal every vehicle starts and ends at and every other node is a customer.
 */
export function denseProblem(options: {
  /** Row-major square matrix over all nodes, depot included. */
  matrix: ArrayLike<number>;
  /** Number of nodes (matrix side). */
  size: number;
  /** Index of the depot in the matrix. */
  depot: number;
  /** Demand per matrix node (the depot's entry is ignored). */
  demand: ArrayLike<number>;
  /** Service time per matrix node; none by default. */
  service?: ArrayLike<number>;
  /** Prize per matrix node; every customer mandatory (prize 1, not optional) by default. */
  prize?: ArrayLike<number>;
  /** Whether customers may be left out. */
  optionalCustomers?: boolean;
  /** Identical vehicles available. */
  vehicles: number;
  /** Capacity of each vehicle. */
  capacity: number;
  /** Duration limit of each route. */
  maxDuration?: number;
  /** Neighbour list length. */
  neighbours?: number;
}): { problem: VrpProblem; customerNode: Int32Array } {
  const { size, depot } = options;
  if (depot < 0 || depot >= size) throw new RangeError('depot outside the matrix');
  // Customers first, the depot last: the solver indexes customers from 0.
  const customerNode = new Int32Array(size - 1);
  for (let i = 0, c = 0; i < size; i++) if (i !== depot) customerNode[c++] = i;
  const order = Int32Array.from([...customerNode, depot]);
  const travel = new Float32Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) travel[a * size + b] = options.matrix[order[a]! * size + order[b]!]!;
  }
  const n = size - 1;
  const rowBase = new Int32Array(size);
  const column = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    rowBase[i] = i * size;
    column[i] = i;
  }
  const demand = new Float64Array(n);
  const service = new Float64Array(n);
  const prize = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const node = customerNode[c]!;
    demand[c] = options.demand[node]!;
    service[c] = options.service ? options.service[node]! : 0;
    prize[c] = options.prize ? options.prize[node]! : 1;
  }
  const v = options.vehicles;
  let symmetric = true;
  for (let a = 0; a < size && symmetric; a++) {
    for (let b = a + 1; b < size; b++) {
      if (travel[a * size + b] !== travel[b * size + a]) {
        symmetric = false;
        break;
      }
    }
  }
  return {
    customerNode,
    problem: withNeighbours(
      {
        customerCount: n,
        nodeCount: size,
        groupCount: 1,
        vehicleCount: v,
        nodeGroup: new Int32Array(size),
        rowBase,
        column,
        travel: [travel],
        symmetric,
        demand,
        service,
        prize,
        optionalCustomers: options.optionalCustomers ?? false,
        capacity: new Float64Array(v).fill(options.capacity),
        maxDuration: new Float64Array(v).fill(options.maxDuration ?? Infinity),
        profile: new Int32Array(v),
        startNode: new Int32Array(v).fill(n),
        endNode: new Int32Array(v).fill(n),
        fixedCost: new Float64Array(v),
        fixedExtra: new Float64Array(v),
      },
      options.neighbours ?? DEFAULT_NEIGHBOURS,
    ),
  };
}
