import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/src/reports/reports.service';
import { reporterEventsAfter } from '../../../server/src/events/events.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { auditRows, call, createStaff, signIn, type TestUser } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let supervisor: TestUser;
let sup: string;
let crew: string;
let admin: string;
let otherSup: string;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  supervisor = await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]);
  sup = await signIn(srv.url, supervisor);
  crew = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]));
  admin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'admin' }]));
  otherSup = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: other.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  await srv?.close();
});

/** A point `north` and `east` metres from a commune's centre. */
function offset(c: { centre: { lat: number; lon: number } }, north: number, east: number) {
  const { lat, lon } = c.centre;
  return { lat: lat + north / 111_320, lon: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)) };
}

const newReport = async (c = commune) => sendResidentReport(srv.url, c.centre);
const staff = (path: string, cookie: string, method = 'GET', json?: unknown) =>
  call(srv.url, path, { method, cookie, json });
const patch = (id: string, json: unknown, cookie = sup) =>
  staff(`/api/staff/reports/${id}`, cookie, 'PATCH', json);
const setStatus = (id: string, json: Record<string, unknown>) =>
  staff(`/api/staff/reports/${id}/status`, sup, 'POST', json);
const row = async (id: string) =>
  (
    await srv.pool.query(
      `SELECT r.status, r.priority, ca.code AS category, r.address, r.location_source, r.duplicate_of, r.closed_at,
              ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon
         FROM reports r JOIN categories ca ON ca.id = r.category_id WHERE r.id = $1`,
      [id],
    )
  ).rows[0] as {
    status: string;
    priority: string;
    category: string;
    address: string | null;
    location_source: string;
    duplicate_of: string | null;
    closed_at: Date | null;
    lat: number;
    lon: number;
  };
const events = async (id: string) =>
  (
    await srv.pool.query(
      'SELECT action, actor_kind, actor_id, from_status, to_status, data, public FROM report_events WHERE report_id = $1 ORDER BY id',
      [id],
    )
  ).rows as Array<{
    action: string;
    actor_kind: string;
    actor_id: string | null;
    from_status: string | null;
    to_status: string | null;
    data: Record<string, unknown>;
    public: boolean;
  }>;

/** Two addresses of the commune, 300 m apart, so a move renames the place. */
async function addAddresses(c: typeof commune): Promise<{ near: string; far: string }> {
  const near = `1 Rue du Test ${c.slug}`;
  const far = `9 Chemin du Déplacement ${c.slug}`;
  for (const [label, p] of [
    [near, offset(c, 0, 0)],
    [far, offset(c, 300, 0)],
  ] as const) {
    await srv.pool.query(
      `INSERT INTO addresses (commune_id, housenumber, street, postcode, label, location)
       VALUES ($1, '1', 'Rue', '56000', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326)::geography)`,
      [c.id, label, p.lon, p.lat],
    );
  }
  return { near, far };
}

describe('PATCH /api/staff/reports/:id (category, priority, location)', () => {
  it('changes the category; the priority follows the new default only when it was the old default', async () => {
    const { id } = await newReport();
    // pothole (default normal) -> sign (default high): the priority was the default, it follows.
    const res = await patch(id, { category: 'sign', reason: 'Panneau tombé, pas un trou' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ category: { code: 'sign' }, priority: 'high' });
    expect(await row(id)).toMatchObject({ category: 'sign', priority: 'high' });
    const history = await events(id);
    expect(history.slice(1)).toEqual([
      expect.objectContaining({
        action: 'category_changed',
        actor_kind: 'staff',
        actor_id: supervisor.id,
        public: false,
        data: { from: 'pothole', to: 'sign', reason: 'Panneau tombé, pas un trou' },
      }),
      expect.objectContaining({
        action: 'priority_changed',
        public: false,
        data: { from: 'normal', to: 'high', followsCategory: true, reason: 'Panneau tombé, pas un trou' },
      }),
    ]);
    const audit = await auditRows(srv.pool, { action: 'report_edited', objectId: id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: supervisor.id,
      commune_id: commune.id,
      outcome: 'success',
    });

    // The staff view shows who did it, and why.
    const view = await staff(`/api/staff/reports/${id}`, sup);
    const entry = (view.json!.history as Array<Record<string, unknown>>).find(
      (h) => h.action === 'category_changed',
    );
    expect(entry).toMatchObject({ actorEmail: supervisor.email, reason: 'Panneau tombé, pas un trou' });
  });

  it('keeps a priority chosen on purpose when the category changes, and an explicit priority wins', async () => {
    const { id } = await newReport();
    expect((await patch(id, { priority: 'danger' })).status).toBe(200);
    expect((await patch(id, { category: 'other' })).json).toMatchObject({
      category: { code: 'other' },
      priority: 'danger',
    });
    expect((await patch(id, { category: 'sign', priority: 'low' })).json).toMatchObject({
      category: { code: 'sign' },
      priority: 'low',
    });
    expect((await events(id)).map((e) => e.action)).toEqual([
      'created',
      'priority_changed',
      'category_changed',
      'category_changed',
      'priority_changed',
    ]);
  });

  it('moves the report inside its commune, renames its place and keeps both positions in the history', async () => {
    const { near, far } = await addAddresses(commune);
    const { id } = await newReport();
    expect((await row(id)).address).toBe(near);
    const before = await row(id);
    const to = offset(commune, 300, 0);
    const res = await patch(id, { location: to, reason: 'Le trou est devant le n° 9' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ address: far, locationSource: 'manual' });
    const after = await row(id);
    expect(after.lat).toBeCloseTo(to.lat, 9);
    expect(after.lon).toBeCloseTo(to.lon, 9);
    expect((await events(id)).at(-1)).toMatchObject({
      action: 'location_changed',
      public: false,
      data: {
        from: { lat: before.lat, lon: before.lon, address: near },
        to: { lat: to.lat, lon: to.lon, address: far },
        reason: 'Le trou est devant le n° 9',
      },
    });
    const audit = await auditRows(srv.pool, { action: 'report_edited', objectId: id });
    expect(audit.map((a) => a.data)).toEqual([
      { changes: [{ field: 'location' }], reason: 'Le trou est devant le n° 9' },
    ]);
  });

  it('refuses a place outside the commune, and changes nothing', async () => {
    const { id } = await newReport();
    const res = await patch(id, { location: offset(commune, 5000, 0), category: 'sign' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'outside_commune', field: 'location' } });
    expect(await row(id)).toMatchObject({ category: 'pothole', priority: 'normal', location_source: 'gps' });
    expect(await events(id)).toHaveLength(1);
  });

  it('refuses a category that is unknown or inactive in the commune', async () => {
    const { id } = await newReport();
    const unknown = await patch(id, { category: 'volcano' });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ error: { code: 'unknown_category', field: 'category' } });
    await srv.pool.query(
      "UPDATE categories SET active = false WHERE commune_id = $1 AND code = 'fallen_tree'",
      [commune.id],
    );
    expect((await patch(id, { category: 'fallen_tree' })).status).toBe(422);
    expect((await row(id)).category).toBe('pothole');
  });

  it('says to reopen a closed report first', async () => {
    const { id } = await newReport();
    await setStatus(id, { status: 'fixed' });
    const res = await patch(id, { priority: 'high' });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'report_closed' } });
    expect((res.json!.error as { message: string }).message).toContain('reopen it first');
    await setStatus(id, { status: 'acknowledged' });
    expect((await patch(id, { priority: 'high' })).status).toBe(200);
  });

  it('refuses bad input with 400 and the field at fault', async () => {
    const { id } = await newReport();
    const cases: Array<[unknown, string]> = [
      [{}, 'category'],
      [{ priority: 'urgent' }, 'priority'],
      [{ category: 'Pothole!' }, 'category'],
      [{ location: { lat: 200, lon: 0 } }, 'location.lat'],
      [{ location: { lat: 47 } }, 'location.lon'],
      [{ priority: 'high', colour: 'red' }, 'colour'],
      [{ priority: 'high', reason: 'x'.repeat(1001) }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json, JSON.stringify(body)).toMatchObject({ error: { field } });
    }
    expect((await patch('not-a-uuid', { priority: 'high' })).status).toBe(400);
    expect(await events(id)).toHaveLength(1);
  });

  it('is for supervisors: a crew gets 403, an admin 403, another commune 404 like a missing report', async () => {
    const { id } = await newReport();
    expect((await patch(id, { priority: 'high' }, crew)).status).toBe(403);
    expect((await patch(id, { priority: 'high' }, admin)).status).toBe(403);
    const theirs = await patch(id, { priority: 'high' }, otherSup);
    const missing = await patch(crypto.randomUUID(), { priority: 'high' }, otherSup);
    expect([theirs.status, missing.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(missing.text);
    expect((await row(id)).priority).toBe('normal');
  });
});

describe('POST /api/staff/reports/:id/merge and /unmerge', () => {
  it('marks several reports duplicates of the kept one in one call, each in its history', async () => {
    const kept = (await newReport()).id;
    const dups = [(await newReport()).id, (await newReport()).id, (await newReport()).id];
    const res = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', {
      duplicates: dups,
      reason: 'Même trou, rue de l’Église',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: kept, status: 'new' });
    for (const d of dups) {
      const r = await row(d);
      expect(r).toMatchObject({ status: 'duplicate', duplicate_of: kept });
      expect(r.closed_at).toBeInstanceOf(Date);
      expect((await events(d)).at(-1)).toMatchObject({
        action: 'moderated',
        actor_id: supervisor.id,
        from_status: 'new',
        to_status: 'duplicate',
        public: true,
        data: { duplicateOf: kept, merged: true, reason: 'Même trou, rue de l’Église' },
      });
    }
    expect((await events(kept)).at(-1)).toMatchObject({
      action: 'duplicates_merged',
      public: false,
      data: { duplicates: [...dups].sort() },
    });
    expect(await auditRows(srv.pool, { action: 'report_merged', objectId: kept })).toHaveLength(1);
    // The same request again changes nothing.
    expect((await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', { duplicates: dups })).status).toBe(
      200,
    );
    expect((await events(kept)).filter((e) => e.action === 'duplicates_merged')).toHaveLength(1);
  });

  it('merges all or nothing: one closed report refuses the whole merge, naming it', async () => {
    const kept = (await newReport()).id;
    const a = (await newReport()).id;
    const fixed = (await newReport()).id;
    await setStatus(fixed, { status: 'fixed' });
    const res = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', { duplicates: [a, fixed] });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'invalid_transition', field: 'duplicates.1' } });
    expect((res.json!.error as { message: string }).message).toContain(fixed.slice(0, 8));
    expect((await row(a)).status).toBe('new');
    expect((await row(fixed)).status).toBe('fixed');
    expect(await events(kept)).toHaveLength(1);
  });

  it("refuses another commune's report like a missing one, the kept report itself, and a kept duplicate", async () => {
    const kept = (await newReport()).id;
    const mine = (await newReport()).id;
    const theirs = (await newReport(other)).id;
    const cross = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', {
      duplicates: [mine, theirs],
    });
    const missing = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', {
      duplicates: [mine, crypto.randomUUID()],
    });
    expect([cross.status, missing.status]).toEqual([422, 422]);
    expect(cross.json).toMatchObject({ error: { code: 'duplicate_not_found', field: 'duplicates.1' } });
    expect((await row(mine)).status).toBe('new');
    expect((await row(theirs)).status).toBe('new');

    const self = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', { duplicates: [kept] });
    expect(self.json).toMatchObject({ error: { code: 'duplicate_of_itself', field: 'duplicates.0' } });

    const root = (await newReport()).id;
    await setStatus(kept, { status: 'duplicate', duplicateOf: root });
    const chained = await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', { duplicates: [mine] });
    expect(chained.status).toBe(409);
    expect(chained.json).toMatchObject({ error: { code: 'kept_is_duplicate' } });

    for (const body of [{ duplicates: [] }, { duplicates: ['x'] }, { duplicates: [mine, mine] }, {}]) {
      expect((await staff(`/api/staff/reports/${root}/merge`, sup, 'POST', body)).status).toBe(400);
    }
  });

  it('undoes a merge: reopens the listed duplicates, or all of them', async () => {
    const kept = (await newReport()).id;
    const dups = [(await newReport()).id, (await newReport()).id, (await newReport()).id];
    await staff(`/api/staff/reports/${kept}/merge`, sup, 'POST', { duplicates: dups });

    const one = await staff(`/api/staff/reports/${kept}/unmerge`, sup, 'POST', {
      duplicates: [dups[0]],
      reason: 'Pas le même trou',
    });
    expect(one.status, one.text).toBe(200);
    expect(await row(dups[0]!)).toMatchObject({
      status: 'acknowledged',
      duplicate_of: null,
      closed_at: null,
    });
    expect((await events(dups[0]!)).at(-1)).toMatchObject({
      action: 'status_changed',
      from_status: 'duplicate',
      to_status: 'acknowledged',
      data: { unmergedFrom: kept, reason: 'Pas le même trou' },
    });
    expect((await row(dups[1]!)).status).toBe('duplicate');

    const notOne = await staff(`/api/staff/reports/${kept}/unmerge`, sup, 'POST', { duplicates: [dups[0]] });
    expect(notOne.status).toBe(422);
    expect(notOne.json).toMatchObject({ error: { code: 'not_a_duplicate', field: 'duplicates.0' } });

    expect((await staff(`/api/staff/reports/${kept}/unmerge`, sup, 'POST', {})).status).toBe(200);
    for (const d of dups) expect((await row(d)).status).toBe('acknowledged');
    expect((await events(kept)).map((e) => e.action)).toEqual([
      'created',
      'duplicates_merged',
      'duplicates_unmerged',
      'duplicates_unmerged',
    ]);
    expect(await auditRows(srv.pool, { action: 'report_unmerged', objectId: kept })).toHaveLength(2);
    const none = await staff(`/api/staff/reports/${kept}/unmerge`, sup, 'POST', {});
    expect(none.status).toBe(409);
    expect(none.json).toMatchObject({ error: { code: 'no_duplicates' } });
  });

  it('is for supervisors; another commune’s kept report answers 404 like a missing one', async () => {
    const kept = (await newReport()).id;
    const dup = (await newReport()).id;
    expect(
      (await staff(`/api/staff/reports/${kept}/merge`, crew, 'POST', { duplicates: [dup] })).status,
    ).toBe(403);
    for (const route of ['merge', 'unmerge']) {
      const theirs = await staff(`/api/staff/reports/${kept}/${route}`, otherSup, 'POST', {
        duplicates: [dup],
      });
      const missing = await staff(`/api/staff/reports/${crypto.randomUUID()}/${route}`, otherSup, 'POST', {
        duplicates: [dup],
      });
      expect([theirs.status, missing.status]).toEqual([404, 404]);
      expect(theirs.text).toBe(missing.text);
    }
    expect((await row(dup)).status).toBe('new');
  });
});

describe('POST /api/staff/reports/:id/notes and /updates', () => {
  it('keeps internal notes inside the staff API: no public or own view, list, hint or stream shows them', async () => {
    const secret = `Note interne ${crypto.randomUUID()}`;
    const r = await sendResidentReport(srv.url, offset(commune, 40, 40));
    const res = await staff(`/api/staff/reports/${r.id}/notes`, crew, 'POST', { text: secret });
    expect(res.status, res.text).toBe(201);
    const last = (res.json!.history as Array<Record<string, unknown>>).at(-1);
    expect(last).toMatchObject({ action: 'note', public: false, text: secret, data: { text: secret } });
    expect((await events(r.id)).at(-1)).toMatchObject({
      action: 'note',
      public: false,
      data: { text: secret },
    });
    // A status change with an internal note: the note stays internal too.
    const statusNote = `Note de statut ${crypto.randomUUID()}`;
    await setStatus(r.id, { status: 'acknowledged', note: statusNote });

    const p = offset(commune, 40, 40);
    const bbox = `${p.lon - 0.001},${p.lat - 0.001},${p.lon + 0.001},${p.lat + 0.001}`;
    const publicAnswers = await Promise.all([
      call(srv.url, `/api/reports/${r.id}`),
      call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } }),
      call(srv.url, '/api/reports/mine', { headers: { 'X-Reporter-Token': r.token } }),
      call(srv.url, `/api/reports?bbox=${bbox}`),
      call(srv.url, `/api/reports/nearby?lat=${p.lat}&lon=${p.lon}`),
    ]);
    for (const a of publicAnswers) {
      expect(a.status).toBe(200);
      expect(a.text).toContain(r.id);
      expect(a.text).not.toContain(secret);
      expect(a.text).not.toContain(statusNote);
    }
    const own = publicAnswers[1]!.json as { history: Array<{ action: string }> };
    expect(own.history.map((h) => h.action)).toEqual(['created', 'status_changed']);
    // The resident's live stream carries only public entries.
    const live = await reporterEventsAfter(srv.pool, hashToken(r.token), 0, 100);
    expect(live.map((e) => e.action)).toEqual(['created', 'status_changed']);
  });

  it('shows public updates, and the reason of a rejection, to the reporter', async () => {
    const r = await newReport();
    const res = await staff(`/api/staff/reports/${r.id}/updates`, sup, 'POST', {
      text: 'Intervention prévue la semaine prochaine.',
    });
    expect(res.status, res.text).toBe(201);
    expect((await events(r.id)).at(-1)).toMatchObject({
      action: 'public_update',
      public: true,
      data: { text: 'Intervention prévue la semaine prochaine.' },
    });
    await setStatus(r.id, { status: 'rejected', reason: 'Voie privée : voyez le syndic.', note: 'interne' });
    const own = await call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } });
    expect(own.json).toMatchObject({ status: 'rejected', statusReason: 'Voie privée : voyez le syndic.' });
    expect((own.json as { history: unknown[] }).history).toEqual([
      expect.objectContaining({ action: 'created', text: null, reason: null }),
      expect.objectContaining({ action: 'public_update', text: 'Intervention prévue la semaine prochaine.' }),
      expect.objectContaining({
        action: 'moderated',
        toStatus: 'rejected',
        reason: 'Voie privée : voyez le syndic.',
        text: null,
      }),
    ]);
    expect(own.text).not.toContain('interne');
    // Anybody else sees neither the history nor the reason.
    const anon = await call(srv.url, `/api/reports/${r.id}`);
    expect(anon.json).not.toHaveProperty('history');
    expect(anon.json).not.toHaveProperty('statusReason');
    expect(await auditRows(srv.pool, { action: 'report_public_update', objectId: r.id })).toHaveLength(1);
  });

  it('lets crews and admins write notes but not public updates; refuses empty or long texts', async () => {
    const { id } = await newReport();
    expect(
      (await staff(`/api/staff/reports/${id}/notes`, admin, 'POST', { text: 'RGPD : contact effacé' }))
        .status,
    ).toBe(201);
    expect((await staff(`/api/staff/reports/${id}/updates`, crew, 'POST', { text: 'Bonjour' })).status).toBe(
      403,
    );
    for (const body of [
      {},
      { text: '   ' },
      { text: 'x'.repeat(2001) },
      { text: 3 },
      { text: 'a', public: true },
    ]) {
      const res = await staff(`/api/staff/reports/${id}/notes`, sup, 'POST', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const route of ['notes', 'updates']) {
      const theirs = await staff(`/api/staff/reports/${id}/${route}`, otherSup, 'POST', { text: 'x' });
      const missing = await staff(`/api/staff/reports/${crypto.randomUUID()}/${route}`, otherSup, 'POST', {
        text: 'x',
      });
      expect([theirs.status, missing.status]).toEqual([404, 404]);
      expect(theirs.text).toBe(missing.text);
    }
    expect((await events(id)).map((e) => e.action)).toEqual(['created', 'note']);
  });
});
