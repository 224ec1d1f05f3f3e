import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../server/src/auth/totp';
import { listRoutes } from '../../../server/src/http/routes';
import { issueKey } from '../../../server/src/open311/open311.service';
import { CLI_ACTOR } from '../../../server/src/users/users.service';
import { startTestServer, type TestServer } from '../../support/app';
import { updateStop } from '../../../server/src/plans/plans.service';
import { insertCrew } from '../../../server/src/plans/plans.repo';
import { insertCategory } from '../../../server/src/settings/categories.repo';
import { createTestCommune, newToken, PHOTOS_DIR, randomCentre } from '../../support/fixtures';
import { sendResidentReport as sendReport } from '../../support/resident';
import { createPlan } from '../../support/plans';
import { call, createStaff, newEmail, newPassword, signIn, type TestUser } from '../../support/staff';
import { ACTORS, MATRIX, type Actor, type Target } from './matrix';

type Commune = Awaited<ReturnType<typeof createTestCommune>>;

let srv: TestServer;
let dist: string;
const communes = {} as Record<'own' | 'other', Commune>;
const users = {} as Record<Exclude<Actor, 'anonymous' | 'reporter'>, TestUser>;
const cookies = {} as Record<Actor, string | undefined>;
const reporterToken = newToken();
const reports = {} as Record<'own' | 'other', { id: string }>;
/** An Open311 api_key of each commune. */
const open311Keys = {} as Record<'own' | 'other', string>;

/** How to make the request of a row, for one caller and target. */
interface Built {
  path: string;
  method?: string;
  json?: unknown;
  /** The cookie to send instead of the caller's (null: none). */
  cookie?: string | null;
  /** A server-sent events stream: read the status, then hang up. */
  stream?: boolean;
  /** A form body (Open311 posts). */
  form?: Record<string, string>;
}
type Builder = (actor: Actor, target: Target) => Promise<Built>;

/** Plans of each commune, by what the rows do to them. */
type PlanFixture = Awaited<ReturnType<typeof createPlan>>;
const plans = {} as Record<
  'own' | 'other',
  { draft: PlanFixture; published: PlanFixture; toClose: PlanFixture }
>;
const side = (t: Target) => (t === 'other' ? 'other' : 'own');

/** Opens an event stream, reads its status (and the error body if any), then hangs up. */
async function openStream(path: string, cookie: string | undefined, token: string | undefined) {
  const controller = new AbortController();
  const res = await fetch(`${srv.url}${path}`, {
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(token ? { 'X-Reporter-Token': token } : {}) },
    signal: controller.signal,
  });
  const text = res.ok ? '' : await res.text();
  if (res.ok) expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  controller.abort();
  return { status: res.status, text };
}

const slug = (t: Target) => communes[t === 'other' ? 'other' : 'own'].slug;
const communeOf = (t: Target) => communes[t === 'other' ? 'other' : 'own'];
const staffActor = (a: Actor): a is keyof typeof users => a in users;

/** A new account like the caller's (same role, or superadmin), signed in: for rows that change it. */
async function freshSession(actor: Actor): Promise<{ user: TestUser; cookie: string } | undefined> {
  if (!staffActor(actor)) return undefined;
  const user =
    actor === 'superadmin'
      ? await createStaff(srv.pool, [], { superadmin: true })
      : await createStaff(srv.pool, [{ communeId: communes.own.id, role: actor }]);
  return { user, cookie: await signIn(srv.url, user) };
}

/** A user of the target's commune to act upon (with a second role, so revoking one keeps them there). */
async function victim(t: Target, disabled = false): Promise<TestUser> {
  const c = communeOf(t);
  const u = await createStaff(srv.pool, [
    { communeId: c.id, role: 'crew' },
    { communeId: c.id, role: 'supervisor' },
  ]);
  if (disabled) await srv.pool.query('UPDATE users SET disabled_at = now() WHERE id = $1', [u.id]);
  return u;
}

/** A fresh unsubscribe link of the own report, as an email would carry (only its hash is stored). */
async function unsubscribeToken(): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await srv.pool.query('INSERT INTO email_unsubscribe_tokens (token_hash, report_id) VALUES ($1, $2)', [
    crypto.createHash('sha256').update(token).digest(),
    reports.own.id,
  ]);
  return token;
}

const NEW_CATEGORY = {
  labelFr: 'Essai',
  labelEn: 'Trial',
  icon: 'other',
  workType: 'general',
  defaultServiceMinutes: 10,
  defaultPriority: 'low',
  active: true,
} as const;
const freshCode = () => `m${crypto.randomBytes(6).toString('hex')}`;

/** A category of the target's commune that no report uses (rows that rename or delete it). */
async function freshCategory(t: Target): Promise<string> {
  const code = freshCode();
  await insertCategory(srv.pool, communeOf(t).id, { ...NEW_CATEGORY, code });
  return code;
}

/** A crew of the target's commune (rows that change it or its members). */
function freshCrew(t: Target): Promise<number> {
  return insertCrew(srv.pool, communeOf(t).id, {
    name: `Équipe ${freshCode()}`,
    workTypes: [],
    workingMinutes: 450,
    speedKmh: 40,
  });
}

/** A new report of the target's commune, for rows that change it. */
const freshReport = (t: Target) => sendReport(srv.url, communeOf(t).centre);

/** A new report of the target's commune with one duplicate merged into it (by a superadmin). */
async function mergedReport(t: Target): Promise<string> {
  const [kept, dup] = [await freshReport(t), await freshReport(t)];
  const merged = await call(srv.url, `/api/staff/reports/${kept.id}/merge`, {
    method: 'POST',
    cookie: cookies.superadmin,
    json: { duplicates: [dup.id] },
  });
  expect(merged.status).toBe(200);
  return kept.id;
}

/** A new report of the target's commune whose photo is redacted with the original kept (by a superadmin). */
async function redactedReport(t: Target): Promise<string> {
  const r = await freshReport(t);
  const redacted = await call(srv.url, `/api/staff/reports/${r.id}/photos/1/redaction`, {
    method: 'POST',
    cookie: cookies.superadmin,
    json: { rectangles: [{ x: 0, y: 0, width: 8, height: 8 }], original: 'keep' },
  });
  expect(redacted.status).toBe(200);
  return r.id;
}

/** Enrols TOTP for a fresh session through the API. */
async function withTotp(actor: Actor) {
  const fresh = await freshSession(actor);
  if (!fresh) return undefined;
  const setup = await call(srv.url, '/api/auth/totp/setup', { method: 'POST', cookie: fresh.cookie });
  const { secret } = setup.json as { secret: string };
  return { ...fresh, secret };
}

const BUILDERS: Record<string, Builder> = {
  'GET /api/health': async () => ({ path: '/api/health' }),
  'GET /api/openapi.json': async () => ({ path: '/api/openapi.json' }),
  'GET /api/config': async () => ({ path: '/api/config' }),
  'GET /api/communes': async () => ({ path: '/api/communes' }),
  'GET /api/addresses': async (_a, t) => ({ path: `/api/addresses?commune=${slug(t)}&q=rue` }),
  'GET /api/categories': async (_a, t) => ({
    path: `/api/categories?lat=${communeOf(t).centre.lat}&lon=${communeOf(t).centre.lon}`,
  }),
  'GET /api/reports': async () => ({ path: '/api/reports?limit=5' }),
  'GET /api/reports/nearby': async (_a, t) => ({
    path: `/api/reports/nearby?lat=${communeOf(t).centre.lat}&lon=${communeOf(t).centre.lon}`,
  }),
  'GET /api/reports/mine': async () => ({ path: '/api/reports/mine' }),
  'PUT /api/reports/:id': async () => ({ path: '' }), // sent by sendReport (multipart), see below
  'GET /api/reports/:id': async (_a, t) => ({
    path: `/api/reports/${reports[t === 'other' ? 'other' : 'own'].id}`,
  }),
  'GET /api/reports/:id/photos/:n': async (_a, t) => ({
    path: `/api/reports/${reports[t === 'other' ? 'other' : 'own'].id}/photos/1`,
  }),

  'DELETE /api/reports/:id/contact': async (_a, t) => ({
    path: `/api/reports/${reports[t === 'other' ? 'other' : 'own'].id}/contact`,
    method: 'DELETE',
  }),
  'GET /unsubscribe/:token': async () => ({ path: `/unsubscribe/${await unsubscribeToken()}` }),
  'POST /unsubscribe/:token': async () => ({
    path: `/unsubscribe/${await unsubscribeToken()}`,
    method: 'POST',
    cookie: null,
  }),
  'GET /privacy/:commune': async (_a, t) => ({ path: `/privacy/${slug(t)}` }),

  'POST /api/auth/login': async (actor) => {
    const user = staffActor(actor) ? users[actor] : { email: newEmail('nobody'), password: newPassword() };
    return {
      path: '/api/auth/login',
      method: 'POST',
      json: { email: user.email, password: user.password },
      cookie: null,
    };
  },
  'POST /api/auth/logout': async (actor) => {
    const fresh = await freshSession(actor);
    return { path: '/api/auth/logout', method: 'POST', ...(fresh ? { cookie: fresh.cookie } : {}) };
  },
  'GET /api/auth/me': async () => ({ path: '/api/auth/me' }),
  'POST /api/auth/password': async (actor) => {
    const fresh = await freshSession(actor);
    return {
      path: '/api/auth/password',
      method: 'POST',
      json: { currentPassword: fresh?.user.password ?? 'whatever whatever', newPassword: newPassword() },
      ...(fresh ? { cookie: fresh.cookie } : {}),
    };
  },
  'POST /api/auth/totp/setup': async (actor) => {
    const fresh = await freshSession(actor);
    return { path: '/api/auth/totp/setup', method: 'POST', ...(fresh ? { cookie: fresh.cookie } : {}) };
  },
  'POST /api/auth/totp/enable': async (actor) => {
    const t = await withTotp(actor);
    return {
      path: '/api/auth/totp/enable',
      method: 'POST',
      json: { code: t ? totpCode(t.secret, Date.now()) : '123456' },
      ...(t ? { cookie: t.cookie } : {}),
    };
  },
  'POST /api/auth/totp/disable': async (actor) => {
    const t = await withTotp(actor);
    if (t) {
      const enabled = await call(srv.url, '/api/auth/totp/enable', {
        method: 'POST',
        cookie: t.cookie,
        json: { code: totpCode(t.secret, Date.now()) },
      });
      expect(enabled.status).toBe(204);
    }
    // The next period's code: the current one was just used (and codes are never accepted twice).
    return {
      path: '/api/auth/totp/disable',
      method: 'POST',
      json: {
        password: t?.user.password ?? 'whatever whatever',
        code: t ? totpCode(t.secret, Date.now() + 30_000) : '123456',
      },
      ...(t ? { cookie: t.cookie } : {}),
    };
  },

  'GET /api/staff/reports': async (_a, t) => ({
    path: t === 'none' ? '/api/staff/reports' : `/api/staff/reports?commune=${slug(t)}`,
  }),
  'GET /api/reports/export.csv': async (_a, t) => ({
    path: t === 'none' ? '/api/reports/export.csv' : `/api/reports/export.csv?commune=${slug(t)}`,
  }),
  'GET /api/reports/export.geojson': async (_a, t) => ({
    path: t === 'none' ? '/api/reports/export.geojson' : `/api/reports/export.geojson?commune=${slug(t)}`,
  }),
  ...Object.fromEntries(
    ['summary', 'timeline', 'resolution', 'backlog', 'hotspots'].map((figure): [string, Builder] => [
      `GET /api/stats/${figure}`,
      async (_a, t) => ({
        path: t === 'none' ? `/api/stats/${figure}` : `/api/stats/${figure}?commune=${slug(t)}`,
      }),
    ]),
  ),
  'GET /api/staff/reports/clusters': async (_a, t) => {
    const { lat, lon } = communeOf(t).centre;
    const bbox = `bbox=${lon - 0.01},${lat - 0.01},${lon + 0.01},${lat + 0.01}&zoom=14`;
    return {
      path: `/api/staff/reports/clusters?${t === 'none' ? bbox : `commune=${slug(t)}&${bbox}`}`,
    };
  },
  'GET /api/staff/reports/count': async (_a, t) => ({
    path: t === 'none' ? '/api/staff/reports/count' : `/api/staff/reports/count?commune=${slug(t)}`,
  }),
  'GET /api/staff/reports/:id': async (_a, t) => ({
    path: `/api/staff/reports/${reports[t === 'other' ? 'other' : 'own'].id}`,
  }),
  'POST /api/staff/reports/:id/status': async (_a, t) => ({
    path: `/api/staff/reports/${reports[t === 'other' ? 'other' : 'own'].id}/status`,
    method: 'POST',
    json: { status: 'in_progress' },
  }),

  'PATCH /api/staff/reports/:id': async (_a, t) => ({
    path: `/api/staff/reports/${(await freshReport(t)).id}`,
    method: 'PATCH',
    json: { priority: 'high' },
  }),
  'POST /api/staff/reports/:id/merge': async (_a, t) => ({
    path: `/api/staff/reports/${(await freshReport(t)).id}/merge`,
    method: 'POST',
    json: { duplicates: [(await freshReport(t)).id] },
  }),
  'POST /api/staff/reports/:id/unmerge': async (_a, t) => ({
    path: `/api/staff/reports/${await mergedReport(t)}/unmerge`,
    method: 'POST',
    json: {},
  }),
  'POST /api/staff/reports/:id/notes': async (_a, t) => ({
    path: `/api/staff/reports/${reports[side(t)].id}/notes`,
    method: 'POST',
    json: { text: 'Vu sur place' },
  }),
  'POST /api/staff/reports/:id/updates': async (_a, t) => ({
    path: `/api/staff/reports/${reports[side(t)].id}/updates`,
    method: 'POST',
    json: { text: 'Intervention prévue' },
  }),
  'PATCH /api/staff/reports/:id/moderation': async (_a, t) => ({
    path: `/api/staff/reports/${(await freshReport(t)).id}/moderation`,
    method: 'PATCH',
    json: { publicDescription: 'Texte modéré' },
  }),
  'PATCH /api/staff/reports/:id/photos/:n': async (_a, t) => ({
    path: `/api/staff/reports/${(await freshReport(t)).id}/photos/1`,
    method: 'PATCH',
    json: { approved: true },
  }),
  'POST /api/staff/reports/:id/photos/:n/redaction': async (_a, t) => ({
    path: `/api/staff/reports/${(await freshReport(t)).id}/photos/1/redaction`,
    method: 'POST',
    json: { rectangles: [{ x: 0, y: 0, width: 8, height: 8 }], original: 'keep' },
  }),
  'DELETE /api/staff/reports/:id/photos/:n/original': async (_a, t) => ({
    path: `/api/staff/reports/${await redactedReport(t)}/photos/1/original`,
    method: 'DELETE',
  }),

  'GET /api/staff/communes/:commune/users': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users`,
  }),
  'POST /api/staff/communes/:commune/users': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users`,
    method: 'POST',
    json: { email: newEmail('new'), role: 'crew', password: newPassword() },
  }),
  'PUT /api/staff/communes/:commune/users/:userId/roles/:role': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users/${(await victim(t)).id}/roles/admin`,
    method: 'PUT',
  }),
  'DELETE /api/staff/communes/:commune/users/:userId/roles/:role': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users/${(await victim(t)).id}/roles/supervisor`,
    method: 'DELETE',
  }),
  'POST /api/staff/communes/:commune/users/:userId/disable': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users/${(await victim(t)).id}/disable`,
    method: 'POST',
  }),
  'POST /api/staff/communes/:commune/users/:userId/enable': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/users/${(await victim(t, true)).id}/enable`,
    method: 'POST',
  }),
  'GET /api/staff/communes/:commune/settings': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/settings`,
  }),
  'PATCH /api/staff/communes/:commune/settings': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/settings`,
    method: 'PATCH',
    json: { requireAdminTotp: false },
  }),
  'GET /api/staff/communes/:commune/audit': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/audit`,
  }),

  'GET /api/staff/communes/:commune/categories': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/categories`,
  }),
  'POST /api/staff/communes/:commune/categories': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/categories`,
    method: 'POST',
    json: { ...NEW_CATEGORY, code: freshCode() },
  }),
  'PATCH /api/staff/communes/:commune/categories/:code': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/categories/${await freshCategory(t)}`,
    method: 'PATCH',
    json: { labelFr: 'Renommée' },
  }),
  'DELETE /api/staff/communes/:commune/categories/:code': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/categories/${await freshCategory(t)}`,
    method: 'DELETE',
  }),
  'GET /api/staff/communes/:commune/depot': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/depot`,
  }),
  'PUT /api/staff/communes/:commune/depot': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/depot`,
    method: 'PUT',
    json: communeOf(t).centre,
  }),
  'GET /api/staff/communes/:commune/working-hours': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/working-hours`,
  }),
  'PUT /api/staff/communes/:commune/working-hours': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/working-hours`,
    method: 'PUT',
    json: { dayStart: '08:00' },
  }),
  'GET /api/staff/communes/:commune/crews': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/crews`,
  }),
  'POST /api/staff/communes/:commune/crews': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/crews`,
    method: 'POST',
    json: { name: `Équipe ${freshCode()}` },
  }),
  'PATCH /api/staff/communes/:commune/crews/:crewId': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/crews/${await freshCrew(t)}`,
    method: 'PATCH',
    json: { workingMinutes: 400 },
  }),
  'PUT /api/staff/communes/:commune/crews/:crewId/members/:userId': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/crews/${await freshCrew(t)}/members/${(await victim(t)).id}`,
    method: 'PUT',
  }),
  'DELETE /api/staff/communes/:commune/crews/:crewId/members/:userId': async (_a, t) => ({
    path: `/api/staff/communes/${slug(t)}/crews/${await freshCrew(t)}/members/${(await victim(t)).id}`,
    method: 'DELETE',
  }),

  'POST /api/plans/preview': async (_a, t) => ({
    path: '/api/plans/preview',
    method: 'POST',
    json: { communeId: communeOf(t).id, date: '2026-12-01', timeBudgetMs: 50 },
  }),
  'POST /api/plans': async (_a, t) => {
    // A fresh crew and report each time: a report can be in one plan only.
    const fresh = await createPlan(srv, communeOf(t), 'draft');
    const report = await sendReport(srv.url, communeOf(t).centre);
    return {
      path: '/api/plans',
      method: 'POST',
      json: {
        communeId: communeOf(t).id,
        date: '2026-12-02',
        plans: [{ crewId: fresh.crewId, workType: 'asphalt', reportIds: [report.id] }],
      },
    };
  },
  'GET /api/plans': async () => ({ path: '/api/plans?date=2026-12-01' }),
  'GET /api/plans/:id': async (_a, t) => ({ path: `/api/plans/${plans[side(t)].published.planId}` }),
  'GET /api/plans/:id.gpx': async (_a, t) => ({ path: `/api/plans/${plans[side(t)].published.planId}.gpx` }),
  'POST /api/plans/:id/publish': async (_a, t) => ({
    path: `/api/plans/${plans[side(t)].draft.planId}/publish`,
    method: 'POST',
  }),
  'POST /api/plans/:id/close': async (_a, t) => ({
    path: `/api/plans/${plans[side(t)].toClose.planId}/close`,
    method: 'POST',
  }),
  'PUT /api/plans/:id/stops/:reportId': async (_a, t) => ({
    path: `/api/plans/${plans[side(t)].published.planId}/stops/${plans[side(t)].published.reportId}`,
    method: 'PUT',
    json: { status: 'skipped', at: new Date().toISOString() },
  }),
  'GET /api/plans/:id/stops/:reportId/photo': async (_a, t) => ({
    path: `/api/plans/${plans[side(t)].published.planId}/stops/${plans[side(t)].published.reportId}/photo?size=thumb`,
  }),
  'GET /api/events': async () => ({ path: '/api/events', stream: true }),
  'GET /api/reports/mine/events': async () => ({ path: '/api/reports/mine/events', stream: true }),

  'GET /open311/v2/discovery.:format': async () => ({ path: '/open311/v2/discovery.json' }),
  'GET /open311/v2/services.:format': async (_a, t) => ({
    path: `/open311/v2/services.json?jurisdiction_id=${slug(t)}`,
  }),
  'GET /open311/v2/services/:service_code.:format': async (_a, t) => ({
    path: `/open311/v2/services/pothole.xml?jurisdiction_id=${slug(t)}`,
  }),
  'GET /open311/v2/requests.:format': async (_a, t) => ({
    path: `/open311/v2/requests.json?jurisdiction_id=${slug(t)}`,
  }),
  'POST /open311/v2/requests.:format': async () => ({
    path: '/open311/v2/requests.json',
    method: 'POST',
    form: {
      jurisdiction_id: communes.own.slug,
      service_code: 'pothole',
      lat: String(communes.own.centre.lat),
      long: String(communes.own.centre.lon),
      'attribute[danger]': 'no',
    },
  }),
  'GET /open311/v2/requests/:service_request_id.:format': async (_a, t) => ({
    path: `/open311/v2/requests/${reports[side(t)].id}.json?jurisdiction_id=${communes.own.slug}`,
  }),

  'GET /staff{/*rest}': async () => ({ path: '/staff/reports' }),
  'GET /{*rest}': async () => ({ path: '/mine' }),
};

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-'));
  fs.mkdirSync(path.join(dist, 'staff'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>resident</title>');
  fs.writeFileSync(path.join(dist, 'staff', 'index.html'), '<!doctype html><title>staff</title>');
  srv = await startTestServer({ clientDist: dist });
  communes.own = await createTestCommune(srv.pool, randomCentre());
  communes.other = await createTestCommune(srv.pool, randomCentre());
  reports.own = await sendReport(srv.url, communes.own.centre, { token: reporterToken });
  reports.other = await sendReport(srv.url, communes.other.centre);
  for (const t of ['own', 'other'] as const)
    open311Keys[t] = (await issueKey(srv.pool, CLI_ACTOR, communes[t].id, 'matrix')).key;
  for (const role of ['crew', 'supervisor', 'admin'] as const)
    users[role] = await createStaff(srv.pool, [{ communeId: communes.own.id, role }]);
  users.superadmin = await createStaff(srv.pool, [], { superadmin: true });
  for (const a of ACTORS) cookies[a] = staffActor(a) ? await signIn(srv.url, users[a]) : undefined;
  for (const t of ['own', 'other'] as const) {
    plans[t] = {
      draft: await createPlan(srv, communes[t], 'draft'),
      published: await createPlan(srv, communes[t], 'published'),
      toClose: await createPlan(srv, communes[t], 'published'),
    };
    // The published plan's stop has an after-photo (the stop rows above keep it: a later update without one).
    await updateStop(
      { pool: srv.pool, photos: srv.photos },
      { userId: users.crew.id, communeIds: [communes[t].id] },
      plans[t].published.planId,
      plans[t].published.reportId,
      { status: 'skipped', at: new Date().toISOString() },
      fs.readFileSync(path.join(PHOTOS_DIR, 'noexif.jpg')),
    );
  }
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('authorisation matrix', () => {
  it('has a row for every route of the app, and a route for every row', () => {
    const routes = new Set(listRoutes(srv.app).map((r) => `${r.method} ${r.path}`));
    const rows = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    expect(
      [...routes].filter((r) => !rows.has(r)),
      'routes without a row in matrix.ts',
    ).toEqual([]);
    expect(
      [...rows].filter((r) => !routes.has(r)),
      'rows without a route',
    ).toEqual([]);
    expect(
      [...rows].filter((r) => !BUILDERS[r]),
      'rows without a request builder',
    ).toEqual([]);
    expect(routes.size).toBeGreaterThanOrEqual(30);
  });

  for (const row of MATRIX) {
    for (const actor of ACTORS) {
      const status = row.expect[actor];
      it(`${row.method} ${row.route} [${row.target}] as ${actor} → ${status}`, async () => {
        const key = `${row.method} ${row.route}`;
        let answer: { status: number; text: string };
        if (key === 'PUT /api/reports/:id') {
          const r = await sendReport(srv.url, communeOf(row.target).centre, {
            token: actor === 'reporter' ? reporterToken : undefined,
            headers: cookies[actor] ? { Cookie: cookies[actor] } : {},
            noToken: actor !== 'reporter',
          });
          answer = { status: r.status, text: JSON.stringify(r.body) };
        } else {
          const built = await BUILDERS[key]!(actor, row.target);
          const cookie = built.cookie === null ? undefined : (built.cookie ?? cookies[actor]);
          // Open311 posts carry a commune's api_key: the target's key ("other": another commune's).
          if (key === 'POST /open311/v2/requests.:format')
            built.form = { ...built.form, api_key: open311Keys[side(row.target)] };
          const res = built.stream
            ? await openStream(built.path, cookie, actor === 'reporter' ? reporterToken : undefined)
            : await call(srv.url, built.path, {
                method: built.method ?? row.method,
                cookie,
                json: built.json,
                ...(built.form ? { form: built.form } : {}),
                headers: actor === 'reporter' ? { 'X-Reporter-Token': reporterToken } : {},
              });
          answer = res;
        }
        expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      });
    }
  }
});

describe('the 404s of the matrix', () => {
  it('are byte-identical to those of missing objects', async () => {
    const missing = crypto.randomUUID();
    const pairs: Array<[string, string]> = [
      [`/api/staff/reports/${reports.other.id}`, `/api/staff/reports/${missing}`],
      [`/api/reports/${reports.other.id}/photos/1`, `/api/reports/${missing}/photos/1`],
      [`/api/staff/communes/${communes.other.slug}/users`, '/api/staff/communes/nowhere/users'],
      [`/api/reports/export.csv?commune=${communes.other.slug}`, '/api/reports/export.csv?commune=nowhere'],
      [`/api/stats/summary?commune=${communes.other.slug}`, '/api/stats/summary?commune=nowhere'],
      [`/api/staff/communes/${communes.other.slug}/categories`, '/api/staff/communes/nowhere/categories'],
      [`/api/staff/communes/${communes.other.slug}/crews`, '/api/staff/communes/nowhere/crews'],
      [`/api/staff/communes/${communes.other.slug}/depot`, '/api/staff/communes/nowhere/depot'],
    ];
    for (const [theirs, none] of pairs) {
      const [x, y] = await Promise.all(
        [theirs, none].map((p) => call(srv.url, p, { cookie: cookies.admin })),
      );
      expect([x!.status, y!.status]).toEqual([404, 404]);
      expect(x!.text).toBe(y!.text);
    }
  });
});
