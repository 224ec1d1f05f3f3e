import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../server/src/db';
import { transitionReport } from '../../../server/src/reports/reports.transitions';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  await srv?.close();
});

const newReport = async (c = commune) => (await sendResidentReport(srv.url, c.centre)).id;
const setStatus = (id: string, json: Record<string, unknown>) =>
  call(srv.url, `/api/staff/reports/${id}/status`, { method: 'POST', cookie, json });
const row = async (id: string) =>
  (
    await srv.pool.query('SELECT status, closed_at, duplicate_of, status_reason FROM reports WHERE id = $1', [
      id,
    ])
  ).rows[0] as {
    status: string;
    closed_at: Date | null;
    duplicate_of: string | null;
    status_reason: string | null;
  };
const events = async (id: string) =>
  (
    await srv.pool.query(
      'SELECT action, from_status, to_status, data FROM report_events WHERE report_id = $1 ORDER BY id',
      [id],
    )
  ).rows;

describe('POST /api/staff/reports/:id/status (workflow)', () => {
  it('refuses a transition the life cycle does not allow with 409 and changes nothing', async () => {
    const id = await newReport();
    expect((await setStatus(id, { status: 'fixed' })).status).toBe(200);
    const back = await setStatus(id, { status: 'planned' });
    expect(back.status).toBe(409);
    expect(back.json).toMatchObject({ error: { code: 'invalid_transition', field: 'status' } });
    expect((await row(id)).status).toBe('fixed');
    expect((await events(id)).map((e) => e.action)).toEqual(['created', 'status_changed']);
  });

  it('records when a report closes and clears it when it is reopened', async () => {
    const id = await newReport();
    await setStatus(id, { status: 'not_fixable', reason: 'Route départementale : voir le Département' });
    const closed = await row(id);
    expect(closed.closed_at).toBeInstanceOf(Date);
    expect(closed.status_reason).toBe('Route départementale : voir le Département');
    expect((await setStatus(id, { status: 'acknowledged' })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'acknowledged', closed_at: null, status_reason: null });
  });

  it('requires a reason to reject, and keeps it', async () => {
    const id = await newReport();
    const bare = await setStatus(id, { status: 'rejected' });
    expect(bare.status).toBe(400);
    expect(bare.json).toMatchObject({ error: { code: 'reason_required', field: 'reason' } });
    expect((await row(id)).status).toBe('new');
    expect((await setStatus(id, { status: 'rejected', reason: 'Terrain privé' })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'rejected', status_reason: 'Terrain privé' });
  });

  it('links a duplicate to the kept report of the same commune, never to itself or another commune', async () => {
    const kept = await newReport();
    const dup = await newReport();
    expect((await setStatus(dup, { status: 'duplicate' })).json).toMatchObject({
      error: { code: 'duplicate_of_required', field: 'duplicateOf' },
    });
    expect((await setStatus(dup, { status: 'duplicate', duplicateOf: dup })).json).toMatchObject({
      error: { code: 'duplicate_of_itself' },
    });
    const elsewhere = await newReport(other);
    const cross = await setStatus(dup, { status: 'duplicate', duplicateOf: elsewhere });
    expect(cross.status).toBe(422);
    expect(cross.json).toMatchObject({ error: { code: 'duplicate_target_not_found' } });
    expect((await setStatus(dup, { status: 'duplicate', duplicateOf: 'nope' })).status).toBe(400);
    expect((await row(dup)).status).toBe('new');

    const ok = await setStatus(dup, { status: 'duplicate', duplicateOf: kept });
    expect(ok.status).toBe(200);
    expect(await row(dup)).toMatchObject({ status: 'duplicate', duplicate_of: kept });
    expect((await events(dup)).at(-1)).toMatchObject({ action: 'moderated', data: { duplicateOf: kept } });
  });

  it('keeps duplicates pointing at the report that is kept in the end', async () => {
    const a = await newReport();
    const b = await newReport();
    const c = await newReport();
    await setStatus(a, { status: 'duplicate', duplicateOf: b });
    // b turns out to duplicate c: a follows to c, and a duplicate of a goes to c as well.
    await setStatus(b, { status: 'duplicate', duplicateOf: c });
    expect((await row(a)).duplicate_of).toBe(c);
    const d = await newReport();
    await setStatus(d, { status: 'duplicate', duplicateOf: a });
    expect((await row(d)).duplicate_of).toBe(c);
    // Reopened, b is no longer a duplicate and points nowhere.
    await setStatus(b, { status: 'acknowledged' });
    expect(await row(b)).toMatchObject({ status: 'acknowledged', duplicate_of: null });
  });
});

describe('transitionReport', () => {
  it("records a crew's late update without changing the status when the life cycle refuses it", async () => {
    const kept = await newReport();
    const id = await newReport();
    await setStatus(id, { status: 'duplicate', duplicateOf: kept });
    await withTransaction(srv.pool, (tx) =>
      transitionReport(tx, {
        reportId: id,
        to: 'fixed',
        actor: { kind: 'staff', id: null },
        action: 'stop_done',
        whenRefused: 'record',
        at: '2026-11-30T10:00:00.000Z',
      }),
    );
    expect((await row(id)).status).toBe('duplicate');
    expect((await events(id)).at(-1)).toMatchObject({
      action: 'stop_done',
      from_status: 'duplicate',
      to_status: 'duplicate',
      data: { requested: 'fixed', kept: true },
    });
  });

  it("dates the closure at the crew's time, not at the sync", async () => {
    const id = await newReport();
    await withTransaction(srv.pool, (tx) =>
      transitionReport(tx, {
        reportId: id,
        to: 'fixed',
        actor: { kind: 'staff', id: null },
        action: 'stop_done',
        at: '2026-11-30T10:00:00.000Z',
      }),
    );
    expect((await row(id)).closed_at!.toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });
});
