import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCrew } from '../../../server/src/plans/plans.repo';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, PHOTOS_DIR, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let supervisor: string;
let crew: string;
const token = newToken();
const reportIds: string[] = [];

/** Reads a server-sent events stream until `until` is satisfied or `ms` elapse. */
async function readEvents(
  pathAndQuery: string,
  headers: Record<string, string>,
  until: (events: Array<Record<string, unknown>>) => boolean,
  ms: number,
  onOpen?: () => Promise<void>,
): Promise<{ events: Array<Record<string, unknown>>; ids: number[]; elapsedMs: number }> {
  const controller = new AbortController();
  const res = await fetch(`${srv.url}${pathAndQuery}`, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<Record<string, unknown>> = [];
  const ids: number[] = [];
  let buffer = '';
  const t0 = Date.now();
  const timer = setTimeout(() => controller.abort(), ms);
  await onOpen?.();
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        const id = block.split('\n').find((l) => l.startsWith('id: '));
        if (data) events.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
        if (id) ids.push(Number(id.slice(4)));
      }
    }
  } catch {
    // aborted at the deadline
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { events, ids, elapsedMs: Date.now() - t0 };
}

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  await insertCrew(srv.pool, commune.id, {
    name: 'Voirie',
    workTypes: [],
    workingMinutes: 480,
    speedKmh: 30,
  });
  for (let i = 0; i < 3; i++) {
    const c = { lat: commune.centre.lat + i * 0.001, lon: commune.centre.lon };
    reportIds.push((await sendResidentReport(srv.url, c, { token })).id);
  }
  supervisor = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
  crew = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'crew' }]));
});
afterAll(async () => {
  await srv?.close();
});

describe('plans over HTTP, with live progress', () => {
  let planId: string;

  it('previews, saves and publishes a round; the crew sees it, not the draft', async () => {
    const preview = await call(srv.url, '/api/plans/preview', {
      method: 'POST',
      cookie: supervisor,
      json: { communeId: commune.id, date: '2026-12-01', timeBudgetMs: 100 },
    });
    expect(preview.status).toBe(200);
    const proposed = (
      preview.json!.plans as Array<{
        crew: { id: number };
        workType: string;
        stops: Array<{ reportId: string }>;
      }>
    )[0]!;
    expect(proposed.stops.map((s) => s.reportId).sort()).toEqual([...reportIds].sort());
    const saved = await call(srv.url, '/api/plans', {
      method: 'POST',
      cookie: supervisor,
      json: {
        communeId: commune.id,
        date: '2026-12-01',
        plans: [
          {
            crewId: proposed.crew.id,
            workType: proposed.workType,
            reportIds: proposed.stops.map((s) => s.reportId),
          },
        ],
      },
    });
    expect(saved.status).toBe(201);
    planId = (saved.json!.items as Array<{ id: string }>)[0]!.id;
    expect((await call(srv.url, `/api/plans/${planId}`, { cookie: crew })).status).toBe(404);
    const crewList = await call(srv.url, '/api/plans?date=2026-12-01', { cookie: crew });
    expect(crewList.json!.items).toEqual([]);
    expect(
      (await call(srv.url, `/api/plans/${planId}/publish`, { method: 'POST', cookie: supervisor })).status,
    ).toBe(200);
    const visible = await call(srv.url, `/api/plans/${planId}`, { cookie: crew });
    expect(visible.status).toBe(200);
    expect(visible.json!.status).toBe('published');
  });

  it("pushes the crew's stop updates to the supervisor's stream within 2 s", async () => {
    const { events, elapsedMs } = await readEvents(
      '/api/events',
      { Cookie: supervisor },
      (evs) => evs.filter((e) => e.toStatus === 'fixed').length >= 1,
      5000,
      async () => {
        const done = await call(srv.url, `/api/plans/${planId}/stops/${reportIds[0]}`, {
          method: 'PUT',
          cookie: crew,
          json: { status: 'done', at: new Date().toISOString(), note: 'Rebouché' },
        });
        expect(done.status).toBe(200);
      },
    );
    expect(events).toContainEqual(
      expect.objectContaining({ reportId: reportIds[0], action: 'stop_done', toStatus: 'fixed', planId }),
    );
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('replays what a client missed from Last-Event-ID', async () => {
    const { events, ids } = await readEvents(
      '/api/events',
      { Cookie: supervisor, 'Last-Event-ID': '0' },
      (e) => e.length >= 7,
      3000,
    );
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(
      events
        .filter((e) => e.action === 'created')
        .map((e) => e.reportId)
        .sort(),
    ).toEqual([...reportIds].sort());
  });

  it("tells the resident's device when its report is fixed", async () => {
    const { events } = await readEvents(
      '/api/reports/mine/events?after=0',
      { 'X-Reporter-Token': token },
      (e) => e.some((x) => x.toStatus === 'fixed'),
      3000,
    );
    expect(events).toContainEqual(
      expect.objectContaining({ reportId: reportIds[0], toStatus: 'fixed', planId: null }),
    );
    const stranger = await readEvents(
      '/api/reports/mine/events?after=0',
      { 'X-Reporter-Token': newToken() },
      () => false,
      500,
    );
    expect(stranger.events).toEqual([]);
  });

  it('accepts an after-photo with a stop update, and refuses bad input with a 4xx', async () => {
    const form = new FormData();
    form.append('status', 'not_fixable');
    form.append('at', new Date().toISOString());
    form.append('note', 'Affaissement du réseau');
    const photo = fs.readFileSync(path.join(PHOTOS_DIR, 'noexif.jpg'));
    form.append('photo', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'after.jpg');
    const res = await fetch(`${srv.url}/api/plans/${planId}/stops/${reportIds[1]}`, {
      method: 'PUT',
      body: form,
      headers: { Cookie: crew, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    const { rows } = await srv.pool.query('SELECT after_photo_sha256 FROM plan_stops WHERE report_id = $1', [
      reportIds[1],
    ]);
    expect(rows[0].after_photo_sha256).toMatch(/^[0-9a-f]{64}$/);

    // The plan now gives the photo's address; the crew and the supervisor can open it.
    const plan = await call(srv.url, `/api/plans/${planId}`, { cookie: crew });
    const stops = plan.json!.stops as Array<{ reportId: string; afterPhotoUrl: string | null }>;
    const url = stops.find((s) => s.reportId === reportIds[1])!.afterPhotoUrl!;
    expect(url).toMatch(new RegExp(`^/api/plans/${planId}/stops/${reportIds[1]}/photo\\?v=[0-9a-f]{12}$`));
    expect(stops.find((s) => s.reportId === reportIds[2])!.afterPhotoUrl).toBeNull();
    for (const [cookie, size] of [
      [crew, ''],
      [supervisor, '&size=thumb'],
    ] as const) {
      const img = await fetch(`${srv.url}${url}${size}`, { headers: { Cookie: cookie } });
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await img.arrayBuffer());
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
    const none = await call(srv.url, `/api/plans/${planId}/stops/${reportIds[2]}/photo`, { cookie: crew });
    expect(none.status).toBe(404);
    expect(none.json!.error).toMatchObject({ code: 'photo_not_found' });
    const badSize = await call(srv.url, `${url}&size=huge`, { cookie: crew });
    expect(badSize.status).toBe(400);
    // A later update without a photo keeps the one sent (the outbox may replay the update alone).
    await call(srv.url, `/api/plans/${planId}/stops/${reportIds[1]}`, {
      method: 'PUT',
      cookie: crew,
      json: { status: 'not_fixable', at: new Date().toISOString(), note: 'Affaissement du réseau' },
    });
    const again = await call(srv.url, `/api/plans/${planId}`, { cookie: crew });
    expect(
      (again.json!.stops as Array<{ reportId: string; afterPhotoUrl: string | null }>).find(
        (s) => s.reportId === reportIds[1],
      )!.afterPhotoUrl,
    ).toBe(url);

    const bad = await call(srv.url, `/api/plans/${planId}/stops/${reportIds[2]}`, {
      method: 'PUT',
      cookie: crew,
      json: { status: 'exploded', at: new Date().toISOString() },
    });
    expect(bad.status).toBe(400);
    expect(bad.json!.error).toMatchObject({ field: 'status' });
    const badDate = await call(srv.url, '/api/plans/preview', {
      method: 'POST',
      cookie: supervisor,
      json: { communeId: commune.id, date: '2026-13-45' },
    });
    expect(badDate.status).toBe(400);
    expect(badDate.json!.error).toMatchObject({ field: 'date' });
  });

  it('exports the round as GPX and closes it, returning the unfinished stop to the pool', async () => {
    const gpx = await call(srv.url, `/api/plans/${planId}.gpx`, { cookie: crew });
    expect(gpx.status).toBe(200);
    expect(gpx.headers.get('content-type')).toMatch(/application\/gpx\+xml/);
    expect(gpx.text.match(/<wpt /g)).toHaveLength(3);
    const closed = await call(srv.url, `/api/plans/${planId}/close`, { method: 'POST', cookie: supervisor });
    expect(closed.status).toBe(200);
    const { rows } = await srv.pool.query('SELECT status FROM reports WHERE id = $1', [reportIds[2]]);
    expect(rows[0].status).toBe('acknowledged');
  });
});
