import type { OsrmConfig } from '../config';
import type { TravelMatrix } from './planner/travel';
import type { GeoPoint } from './planner/types';

/**
 * Road travel times from an OSRM server's table service
 * (`GET /table/v1/{profile}/{lon,lat;...}?annotations=duration,distance`): one request for the
 * depot, supply points and stops of a preview, or several blocks when there are more locations
 * than the server accepts in one table. Anything wrong (no answer, a timeout, an error code, a
 * table of the wrong shape) is an OsrmError, and the plans service falls back to great-circle.
 */

/** Why the road network could not be used. */
export type OsrmFailure =
  /** No connection (refused, DNS, reset). */
  | 'unreachable'
  /** No complete answer within the configured time. */
  | 'timeout'
  /** An HTTP error without an OSRM answer (a proxy's 502, a 404 for a wrong URL...). */
  | 'http_error'
  /** OSRM answered with an error code (NoSegment, TooBig, InvalidQuery...). */
  | 'osrm_error'
  /** The answer is not the table asked for (not JSON, wrong size, negative or non-numeric values). */
  | 'malformed';

/** A failed table request, with a reason the supervisor's screen can name. */
export class OsrmError extends Error {
  constructor(
    readonly reason: OsrmFailure,
    message: string,
  ) {
    super(message);
  }
}

/** One /table request: a set of locations (all of them sources and destinations). */
export interface TableBlock {
  /** Indices into the caller's location list, in request order. */
  locations: number[];
}

/**
 * Splits an n×n table into requests of at most `maxLocations` locations. Up to that size: one
 * request. Beyond: blocks of half the limit, one request per pair of blocks (each gives the
 * four sub-tables between and within its two blocks), so every pair of locations is covered.
 */
export function planTableRequests(n: number, maxLocations: number): TableBlock[] {
  if (n <= maxLocations) return [{ locations: range(0, n) }];
  const size = Math.max(1, Math.floor(maxLocations / 2));
  const blocks: number[][] = [];
  for (let i = 0; i < n; i += size) blocks.push(range(i, Math.min(n, i + size)));
  const out: TableBlock[] = [];
  for (let a = 0; a < blocks.length; a++)
    for (let b = a + 1; b < blocks.length; b++) out.push({ locations: [...blocks[a]!, ...blocks[b]!] });
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** The request path of a block (coordinates are longitude,latitude; 6 decimals is 0.1 m). */
export function tablePath(profile: string, points: readonly GeoPoint[], block: TableBlock): string {
  const coords = block.locations.map((i) => `${points[i]!.lon.toFixed(6)},${points[i]!.lat.toFixed(6)}`);
  return `/table/v1/${encodeURIComponent(profile)}/${coords.join(';')}?annotations=duration,distance`;
}

/**
 * Checks an OSRM table answer: `code: "Ok"` and `durations` (seconds) rows × cols of numbers >= 0
 * or null (no route: unreachable); `distances` (metres) likewise when present. Returns minutes
 * and metres row-major, or throws OsrmError('osrm_error' | 'malformed').
 */
export function parseTable(
  body: unknown,
  rows: number,
  cols: number,
): { minutes: Float64Array; metres: Float64Array | undefined } {
  if (typeof body !== 'object' || body === null)
    throw new OsrmError('malformed', 'The answer is not a JSON object.');
  const b = body as { code?: unknown; message?: unknown; durations?: unknown; distances?: unknown };
  if (b.code !== 'Ok') {
    const code = typeof b.code === 'string' ? b.code.slice(0, 40) : 'no code';
    const message = typeof b.message === 'string' ? `: ${b.message.slice(0, 200)}` : '';
    throw new OsrmError('osrm_error', `OSRM answered ${code}${message}.`);
  }
  const minutes = matrix(b.durations, rows, cols, 'durations', 1 / 60);
  if (!minutes) throw new OsrmError('malformed', 'The answer has no durations table.');
  const metres = b.distances === undefined ? undefined : matrix(b.distances, rows, cols, 'distances', 1);
  return { minutes, metres };
}

function matrix(
  value: unknown,
  rows: number,
  cols: number,
  name: string,
  scale: number,
): Float64Array | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== rows)
    throw new OsrmError('malformed', `${name}: expected ${rows} rows.`);
  const out = new Float64Array(rows * cols);
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== cols)
      throw new OsrmError('malformed', `${name}: row ${i} should hold ${cols} values.`);
    row.forEach((v: unknown, j) => {
      if (v === null) out[i * cols + j] = Infinity;
      else if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[i * cols + j] = v * scale;
      else
        throw new OsrmError(
          'malformed',
          `${name}[${i}][${j}] is not a number of ${name === 'durations' ? 'seconds' : 'metres'}.`,
        );
    });
  });
  return out;
}

/** What the table provider needs: the server, and `fetch` (passed in, so tests can use their own). */
export interface OsrmDeps {
  config: OsrmConfig;
  fetch?: typeof fetch;
}

/** Requests run at once at most: a town-hall OSRM box is small. */
const CONCURRENCY = 4;

/**
 * The road travel table between `points` (deduplicated by the caller or not: equal points get
 * equal rows). One request up to `maxLocations`, blocks beyond; the whole table within
 * `timeoutMs`. Throws OsrmError.
 */
export async function osrmTable(deps: OsrmDeps, points: readonly GeoPoint[]): Promise<TravelMatrix> {
  const { config } = deps;
  const doFetch = deps.fetch ?? fetch;
  const n = points.length;
  const minutes = new Float64Array(n * n);
  let metres: Float64Array | undefined = new Float64Array(n * n);
  if (n <= 1) return { locations: points, minutes, metres };
  const blocks = planTableRequests(n, config.maxLocations);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    let next = 0;
    const worker = async () => {
      while (next < blocks.length) {
        const block = blocks[next++]!;
        const k = block.locations.length;
        const body = await getJson(
          doFetch,
          `${config.url}${tablePath(config.profile, points, block)}`,
          controller,
        );
        const table = parseTable(body, k, k);
        if (!table.metres) metres = undefined;
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++) {
            const i = block.locations[a]!;
            const j = block.locations[b]!;
            minutes[i * n + j] = i === j ? 0 : table.minutes[a * k + b]!;
            if (metres && table.metres) metres[i * n + j] = i === j ? 0 : table.metres[a * k + b]!;
          }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, blocks.length) }, worker));
  } catch (err) {
    controller.abort(); // the other requests of the table are of no use now
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { locations: points, minutes, ...(metres ? { metres } : {}) };
}

async function getJson(doFetch: typeof fetch, url: string, controller: AbortController): Promise<unknown> {
  let res: Response;
  try {
    res = await doFetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (controller.signal.aborted)
      throw new OsrmError('timeout', 'The road-network server did not answer in time.');
    throw new OsrmError('unreachable', `The road-network server cannot be reached (${describe(err)}).`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw controller.signal.aborted
      ? new OsrmError('timeout', 'The road-network server did not answer in time.')
      : new OsrmError('unreachable', 'The road-network server closed the connection.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (!res.ok) throw new OsrmError('http_error', `The road-network server answered HTTP ${res.status}.`);
    throw new OsrmError('malformed', 'The answer is not JSON.');
  }
  // OSRM answers its errors with HTTP 400 and a JSON code: report the code, not the status.
  if (!res.ok && (typeof body !== 'object' || body === null || !('code' in body)))
    throw new OsrmError('http_error', `The road-network server answered HTTP ${res.status}.`);
  return body;
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}
