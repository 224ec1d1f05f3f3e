/**
 * The statistics phase of `npm run bench:api`: latency of each statistics request (p50/p99)
 * with the bench's 100,000 reports, signed in as a real supervisor of the bench commune
 * (target: p99 <= 300 ms per request). Called by bench-api.ts after the bbox phase.
 */
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { CLI_ACTOR, createUser } from '../src/users/users.service';

/** What the phase needs from the bench: its server, database and commune. */
export interface StatsBenchOptions {
  serverUrl: string;
  databaseUrl: string;
  commune: { id: number; slug: string };
  seconds: number;
  /** Concurrent clients for each measurement (e.g. [1, 4]). */
  levels: readonly number[];
  log(msg: string): void;
}

/** The target, ms. */
export const STATS_P99_TARGET_MS = 300;

/** A supervisor of the commune, created through the users service, signed in over HTTP. */
async function supervisorCookie(opts: StatsBenchOptions): Promise<string> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 1 });
  const email = `bench-${crypto.randomBytes(4).toString('hex')}@bench.example`;
  const password = `bench-${crypto.randomBytes(12).toString('base64url')}`;
  try {
    await createUser(pool, CLI_ACTOR, {
      email,
      password,
      commune: { id: opts.commune.id, role: 'supervisor' },
    });
  } finally {
    await pool.end();
  }
  const res = await fetch(`${opts.serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || !cookie)
    throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}

/** The statistics screen's requests, as it sends them for a commune (and one narrower filter). */
function requests(slug: string): Array<[string, string]> {
  const c = `commune=${slug}`;
  const lastQuarter = new Date(Date.now() - 91 * 86_400_000).toISOString().slice(0, 10);
  return [
    ['summary', `/api/stats/summary?${c}`],
    ['timeline (months)', `/api/stats/timeline?${c}&interval=month`],
    [
      'timeline (weeks, one category, last 3 months)',
      `/api/stats/timeline?${c}&interval=week&category=pothole&from=${lastQuarter}`,
    ],
    ['resolution', `/api/stats/resolution?${c}`],
    ['backlog', `/api/stats/backlog?${c}`],
    ['hotspots (250 m)', `/api/stats/hotspots?${c}&cell=250`],
  ];
}

/** Measures every statistics request at each level; returns one result row per request and level. */
export async function benchStats(opts: StatsBenchOptions): Promise<Array<Record<string, number | string>>> {
  const cookie = await supervisorCookie(opts);
  const out: Array<Record<string, number | string>> = [];
  for (const [name, path] of requests(opts.commune.slug)) {
    // One untimed call: the answer must be a 200, and caches warm.
    const first = await fetch(`${opts.serverUrl}${path}`, { headers: { Cookie: cookie } });
    if (first.status !== 200) throw new Error(`${path}: ${first.status} ${await first.text()}`);
    for (const connections of opts.levels) {
      const r = await new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: `${opts.serverUrl}${path}`,
            connections,
            duration: opts.seconds,
            headers: { cookie },
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        );
      });
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`${path}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      out.push({
        request: name,
        connections,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        rps: r.requests.average,
      });
      opts.log(
        `   ${name}, ${connections} at a time: ${r.requests.total} requests, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms (target p99 <= ${STATS_P99_TARGET_MS} ms)`,
      );
    }
  }
  return out;
}
