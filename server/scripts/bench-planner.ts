/**
 * Planner benchmark:
 *   npm run bench:planner [-- files...] [--budget-ms N] [--seed S] [--json] [--no-metro] [--metro-only]
 *                          [--metro-budget-ms N] [--warmup-ms N] [--cpu-clock]
 *
 * 1. CVRP: solves CVRPLIB instances (every .vrp in ../shared/bench/cvrp by default, or the files given)
 *    with the planner's core solver, recomputes each cost from the returned routes with TSPLIB rounding,
 *    validates the routes (every customer once, capacity, fleet) and prints the gap to the best-known
 *    solution (the .sol file next to the instance).
 * 2. Metropolitan case: 5,000 open reports over ~30 km, 6 work types, 20 crews, 8 h days, default
 *    travel; prints the time taken and checks the planner's rules on the result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '../src/plans/planner/core/random';
import {
  type CvrpInstance,
  cvrpFleetSize,
  parseCvrplib,
  parseCvrplibSolution,
  solveCvrp,
  validateCvrpRoutes,
} from '../src/plans/planner/cvrplib';
import { checkPlan } from '../src/plans/planner/check';
import { planRounds } from '../src/plans/planner/planner';
import { syntheticCity } from '../src/plans/planner/synthetic';

interface Args {
  files: string[];
  cvrp: boolean;
  budgetMs: number;
  seed: number;
  json: boolean;
  metro: boolean;
  metroBudgetMs: number;
  warmupMs: number;
  /** Budgets in process CPU time rather than wall time: fairer on a shared, loaded machine. */
  cpuClock: boolean;
}

/** Milliseconds of CPU used by this process (all threads: compiler and GC included, so it is not lenient). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function clockOf(args: Args): () => number {
  return args.cpuClock ? cpuMs : () => performance.now();
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    files: [],
    cvrp: true,
    budgetMs: 1000,
    seed: 1,
    json: false,
    metro: true,
    metroBudgetMs: 3000,
    warmupMs: 300,
    cpuClock: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--budget-ms') args.budgetMs = value();
    else if (a === '--seed') args.seed = value();
    else if (a === '--metro-budget-ms') args.metroBudgetMs = value();
    else if (a === '--warmup-ms') args.warmupMs = value();
    else if (a === '--json') args.json = true;
    else if (a === '--no-metro') args.metro = false;
    else if (a === '--cpu-clock') args.cpuClock = true;
    else if (a === '--metro-only') args.cvrp = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.files.push(a);
  }
  return args;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function instanceFiles(args: Args): string[] {
  if (!args.cvrp) return [];
  // npm runs scripts from the repository root; paths typed by the user are relative to where they were.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  if (args.files.length > 0) return args.files.map((f) => path.resolve(cwd, f));
  const dir = path.resolve(repoRoot, '../shared/bench/cvrp');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.vrp'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => instanceSize(a) - instanceSize(b) || a.localeCompare(b));
}

function instanceSize(file: string): number {
  const m = /-n(\d+)-/.exec(path.basename(file));
  return m ? Number(m[1]) : 0;
}

function pad(value: string | number, width: number, left = false): string {
  const s = String(value);
  return left ? s.padEnd(width) : s.padStart(width);
}

/**
 * A random 150-customer instance solved untimed before the measured runs, so that the first measured
 * instance is not also the one paying for the JIT compiler (a planner in a server process is warm).
 */
function warmUp(args: Args): void {
  if (args.warmupMs <= 0) return;
  const rng = new SeededRandom(12345);
  const n = 151;
  const instance: CvrpInstance = {
    name: 'warm-up',
    dimension: n,
    capacity: 100,
    x: Float64Array.from({ length: n }, () => rng.below(1000)),
    y: Float64Array.from({ length: n }, () => rng.below(1000)),
    demand: Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 1 + rng.below(20))),
    depot: 0,
  };
  solveCvrp(instance, { timeBudgetMs: args.warmupMs, seed: 1, fleet: 30, clock: clockOf(args) });
}

function runCvrp(args: Args): boolean {
  const files = instanceFiles(args);
  if (files.length === 0) return true;
  warmUp(args);
  const gaps: number[] = [];
  let ok = true;
  if (!args.json) {
    console.log(
      `CVRP, budget ${args.budgetMs} ms${args.cpuClock ? ' of CPU' : ''}, seed ${args.seed}, ` +
        `after a ${args.warmupMs} ms untimed JIT warm-up; ` +
        `load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} CPUs`,
    );
    console.log(
      `${pad('instance', 12, true)} ${pad('n', 4)} ${pad('cost', 8)} ${pad('bks', 8)} ${pad('gap %', 7)} ${pad('ms', 6)}`,
    );
  }
  for (const file of files) {
    const instance = parseCvrplib(fs.readFileSync(file, 'utf8'));
    const solFile = file.replace(/\.vrp$/, '.sol');
    const bks = fs.existsSync(solFile)
      ? parseCvrplibSolution(fs.readFileSync(solFile, 'utf8')).cost
      : undefined;
    const fleet = cvrpFleetSize(instance);
    const started = performance.now();
    const run = solveCvrp(instance, {
      timeBudgetMs: args.budgetMs,
      seed: args.seed,
      fleet,
      clock: clockOf(args),
    });
    const ms = performance.now() - started;
    const problems = validateCvrpRoutes(instance, run.routes, fleet);
    const gap = bks !== undefined ? ((run.cost - bks) / bks) * 100 : undefined;
    if (gap !== undefined && problems.length === 0) gaps.push(gap);
    if (problems.length > 0) ok = false;
    const n = instance.dimension - 1;
    if (args.json) {
      console.log(
        JSON.stringify({
          instance: instance.name,
          n,
          cost: run.cost,
          bks: bks ?? null,
          gapPercent: gap === undefined ? null : Number(gap.toFixed(3)),
          ms: Math.round(ms),
          routes: run.routes.length,
          fleet,
          iterations: run.iterations,
          valid: problems.length === 0,
          problems,
        }),
      );
    } else {
      console.log(
        `${pad(instance.name, 12, true)} ${pad(n, 4)} ${pad(run.cost, 8)} ${pad(bks ?? '-', 8)} ${pad(
          gap === undefined ? '-' : gap.toFixed(2),
          7,
        )} ${pad(Math.round(ms), 6)}${problems.length > 0 ? `  INVALID: ${problems.slice(0, 3).join('; ')}` : ''}`,
      );
    }
  }
  if (gaps.length > 0) {
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const max = Math.max(...gaps);
    if (args.json) {
      console.log(
        JSON.stringify({ summary: true, instances: gaps.length, meanGapPercent: mean, maxGapPercent: max }),
      );
    } else {
      console.log(`mean gap ${mean.toFixed(2)} %, max gap ${max.toFixed(2)} % over ${gaps.length} instances`);
    }
  }
  return ok;
}

function runMetro(args: Args): boolean {
  const input = syntheticCity({ seed: args.seed, reports: 5000, workTypes: 6, crews: 20 });
  const started = performance.now();
  const output = planRounds({
    ...input,
    seed: args.seed,
    timeBudgetMs: args.metroBudgetMs,
    clock: clockOf(args),
  });
  const ms = performance.now() - started;
  const problems = checkPlan(input, output);
  const planned = output.plans.reduce((a, p) => a + p.stops.length, 0);
  const summary = {
    case: 'metro-5000',
    reports: input.reports.length,
    crews: input.crews.length,
    workTypes: 6,
    budgetMs: args.metroBudgetMs,
    ms: Math.round(ms),
    planned,
    plans: output.plans.length,
    unplanned: output.unplanned.length,
    dangerPlanned: output.stats.dangerPlanned,
    dangerTotal: output.stats.dangerTotal,
    servedWeight: Number(output.stats.servedWeight.toFixed(2)),
    travelMinutes: Math.round(output.stats.travelMinutes),
    iterations: output.stats.iterations,
    feasible: problems.length === 0,
    problems: problems.slice(0, 5),
  };
  if (args.json) console.log(JSON.stringify(summary));
  else {
    console.log(
      `metro: ${summary.reports} reports, ${summary.crews} crews, 6 work types, budget ${args.metroBudgetMs} ms ` +
        `-> ${summary.ms} ms, ${planned} reports planned in ${summary.plans} plans ` +
        `(danger ${summary.dangerPlanned}/${summary.dangerTotal}), served weight ${summary.servedWeight}, ` +
        `travel ${summary.travelMinutes} min, ${summary.iterations} iterations, ` +
        `rules ${problems.length === 0 ? 'OK' : `BROKEN: ${problems.slice(0, 3).join('; ')}`}`,
    );
  }
  // The brief: 5,000 reports planned in 5 s of wall time.
  return problems.length === 0 && ms <= 5000;
}

const args = parseArgs(process.argv.slice(2));
const cvrpOk = runCvrp(args);
const metroOk = args.metro ? runMetro(args) : true;
process.exitCode = cvrpOk && metroOk ? 0 : 1;
