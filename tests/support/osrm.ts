import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { greatCircleMetres } from '../../server/src/plans/planner/travel';

/** How the stand-in OSRM server answers. */
export type FakeOsrmMode =
  /** A correct table: road metres = 1.5 x great-circle, driven at 50 km/h. */
  | 'ok'
  /** Accepts the connection and never answers. */
  | 'hang'
  /** HTTP 200 with a table one row short. */
  | 'short'
  /** HTTP 200 with a negative duration. */
  | 'negative'
  /** HTTP 200 with a body that is not JSON. */
  | 'not_json'
  /** OSRM's own error: HTTP 400 `{"code":"NoSegment"}`. */
  | 'no_segment'
  /** A proxy in front of a dead OSRM: HTTP 502 with an HTML page. */
  | 'bad_gateway';

/** Road metres per straight-line metre, and speed, of the stand-in's "road network". */
export const FAKE_DETOUR = 1.5;
export const FAKE_SPEED_KMH = 50;

/**
 * A small HTTP server speaking OSRM's table protocol
 * (`GET /table/v1/{profile}/{lon,lat;...}?annotations=duration,distance`): durations in seconds
 * and distances in metres between every pair of locations, null for a pair it cannot route
 * (any location at longitude exactly 0, for tests of unreachable points), and OSRM's `TooBig`
 * error (HTTP 400) above `maxLocations`, like osrm-routed's --max-table-size.
 */
export async function startFakeOsrm(maxLocations = 100) {
  const requests: Array<{ profile: string; locations: number; annotations: string | null }> = [];
  let mode: FakeOsrmMode = 'ok';
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://osrm');
    const m = /^\/table\/v1\/([a-z0-9_-]+)\/([-0-9.,;]+)$/.exec(url.pathname);
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (!m) return send(400, { code: 'InvalidUrl', message: 'URL string malformed close to position 1' });
    const coords = m[2]!.split(';').map((c) => {
      const [lon, lat] = c.split(',').map(Number);
      return { lat: lat!, lon: lon! };
    });
    requests.push({
      profile: m[1]!,
      locations: coords.length,
      annotations: url.searchParams.get('annotations'),
    });
    if (mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (mode === 'bad_gateway') return send(502, '<html><body>502 Bad Gateway</body></html>', 'text/html');
    if (mode === 'not_json') return send(200, 'OK', 'text/plain');
    if (mode === 'no_segment')
      return send(400, { code: 'NoSegment', message: 'Could not find a matching segment for coordinate 1' });
    if (coords.length > maxLocations)
      return send(400, { code: 'TooBig', message: 'Too many table coordinates' });
    const metres = coords.map((a) =>
      coords.map((b) => (a.lon === 0 || b.lon === 0 ? null : greatCircleMetres(a, b) * FAKE_DETOUR)),
    );
    const durations = metres.map((row) =>
      row.map((d) => (d === null ? null : d / ((FAKE_SPEED_KMH * 1000) / 3600))),
    );
    if (mode === 'short') durations.pop();
    if (mode === 'negative') durations[0]![1] = -5;
    const waypoint = (p: { lat: number; lon: number }) => ({
      location: [p.lon, p.lat],
      name: '',
      distance: 0,
    });
    send(200, {
      code: 'Ok',
      durations,
      distances: metres,
      sources: coords.map(waypoint),
      destinations: coords.map(waypoint),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode(m: FakeOsrmMode) {
      mode = m;
    },
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A URL where nothing listens: a port that was just free (bound, then closed). */
export async function unreachableUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}
