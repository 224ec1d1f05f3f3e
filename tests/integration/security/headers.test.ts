import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport as sendReport } from '../../support/resident';
import { call, createStaff, rawGet, signIn } from '../../support/staff';

let srv: TestServer;
let dist: string;
let commune: Awaited<ReturnType<typeof createTestCommune>>;

beforeAll(async () => {
  // A stand-in for the built client: both app shells and an asset.
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-'));
  fs.mkdirSync(path.join(dist, 'staff'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>resident</title>');
  fs.writeFileSync(path.join(dist, 'staff', 'index.html'), '<!doctype html><title>staff</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  srv = await startTestServer({ clientDist: dist });
  commune = await createTestCommune(srv.pool, randomCentre());
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

function expectSecurityHeaders(h: Headers, what: string) {
  const csp = h.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'self'");
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('referrer-policy'), what).toBe('same-origin');
  expect(h.get('x-powered-by'), what).toBeNull();
  expect(h.get('x-frame-options'), what).toBe('DENY');
  // Plain HTTP: no HSTS (it is sent over HTTPS only, see the sign-in tests).
  expect(h.get('strict-transport-security'), what).toBeNull();
}

describe('security headers', () => {
  it('are on every kind of response: HTML, JSON, images, CSV, static files, errors', async () => {
    const report = await sendReport(srv.url, commune.centre);
    const sup = await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]);
    const cookie = await signIn(srv.url, sup);
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['resident shell', '/', {}, 'text/html'],
      ['staff shell', '/staff/', {}, 'text/html'],
      ['static asset', '/assets/app.js', {}, 'javascript'],
      ['JSON', '/api/communes', {}, 'application/json'],
      ['image', `/api/reports/${report.id}/photos/1`, { 'X-Reporter-Token': report.token }, 'image/jpeg'],
      ['CSV', `/api/reports/export.csv?commune=${commune.slug}`, { Cookie: cookie }, 'text/csv'],
      [
        'GeoJSON',
        `/api/reports/export.geojson?commune=${commune.slug}`,
        { Cookie: cookie },
        'application/geo+json',
      ],
      ['API 404', '/api/nope', {}, 'application/json'],
      ['400', '/api/reports?limit=abc', {}, 'application/json'],
      ['401', '/api/auth/me', {}, 'application/json'],
      ['page 404', '/missing.png', {}, 'application/json'],
    ];
    for (const [what, p, headers, type] of cases) {
      const res = await fetch(`${srv.url}${p}`, { headers });
      expect(res.headers.get('content-type') ?? '', what).toContain(type);
      expectSecurityHeaders(res.headers, what);
    }
    const traversal = await rawGet(srv.url, '/%2e%2e/%2e%2e/etc/passwd');
    expect(traversal.status).toBe(404);
    expectSecurityHeaders(new Headers(traversal.headers as Record<string, string>), 'traversal 404');
  });
});

describe('paths that must never answer', () => {
  it.each([
    '/.git/config',
    '/.git/HEAD',
    '/.env',
    '/%2eenv',
    '/assets/.env',
    '/node_modules/express/package.json',
    '/uploads/',
    '/uploads/ab/abcdef.jpg',
    '/data/pgdata/PG_VERSION',
    '/server/src/config.ts',
    '/db/migrations/1795555120000_users.sql',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc/passwd',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/assets/..%5c..%5cpackage.json',
    '/api/reports/..%2f..%2fpackage.json',
    '/api/reports/%2e%2e/%2e%2e/package.json',
    '/api/../package.json',
    '/staff/..%2f..%2fpackage.json',
    '/package.json',
  ])('%s answers 404', async (p) => {
    const res = await rawGet(srv.url, p);
    expect(res.status).toBe(404);
    const text = res.text;
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('"dependencies"');
    expect(text).not.toContain('root:');
  });

  it('serves the app shells for client-side routes', async () => {
    expect(await (await fetch(`${srv.url}/mine/123`)).text()).toContain('resident');
    expect(await (await fetch(`${srv.url}/staff/`)).text()).toContain('staff');
    expect(await (await fetch(`${srv.url}/staff/reports/abc`)).text()).toContain('staff');
  });
});

describe('CSRF', () => {
  let cookie: string;
  beforeAll(async () => {
    const admin = await createStaff(srv.pool, [{ communeId: commune.id, role: 'admin' }]);
    cookie = await signIn(srv.url, admin);
  });

  const post = (headers: Record<string, string>) =>
    fetch(`${srv.url}/api/staff/communes/${commune.slug}/settings`, {
      method: 'PATCH',
      headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ requireAdminTotp: false }),
    });

  it('refuses a state-changing request with a session from another site (Sec-Fetch-Site)', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await post({ 'Sec-Fetch-Site': site });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_rejected');
    }
    expect((await post({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('falls back to Origin when Sec-Fetch-Site is absent', async () => {
    expect((await post({ Origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ Origin: 'null' })).status).toBe(403);
    expect((await post({ Origin: srv.url })).status).toBe(200);
    // Neither header: not a browser, so no cookie was attached behind anyone's back (curl, scripts).
    expect((await post({})).status).toBe(200);
  });

  it('guards sign-in too (login CSRF), and sign-out', async () => {
    const login = await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify({ email: 'x@example.org', password: 'whatever whatever' }),
    });
    expect(login.status).toBe(403);
    const logout = await fetch(`${srv.url}/api/auth/logout`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(logout.status).toBe(403);
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('leaves residents\u2019 cookie-less uploads alone', async () => {
    const r = await sendReport(srv.url, commune.centre, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(r.status).toBe(201);
  });
});
