import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../client/src/offline/db';
import { OutboxStore } from '../../../client/src/offline/outbox.store';
import { createTransport, outcomeOf, reportForm } from '../../../client/src/offline/transport';
import { CreateReportFields } from '../../../server/src/contract/reports';
import { dbName, jpeg, localReport } from './helpers';

const TOKEN = 'a'.repeat(43);
const dbs: ReturnType<typeof openDb>[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('reportForm', () => {
  it('sends exactly the fields the contract accepts, then the photos', () => {
    const r = localReport({ fields: { ...localReport().fields, contactEmail: 'ana@example.org' } });
    const form = reportForm(r.fields, [jpeg(10), jpeg(20)]);
    const fields = Object.fromEntries([...form.entries()].filter(([k]) => k !== 'photos'));
    expect(CreateReportFields.safeParse(fields).success).toBe(true);
    expect([...form.keys()]).toEqual([
      'category',
      'lat',
      'lon',
      'accuracy',
      'locationSource',
      'capturedAt',
      'description',
      'contactEmail',
      'photos',
      'photos',
    ]);
    expect((form.getAll('photos') as File[]).map((f) => [f.name, f.size])).toEqual([
      ['photo-1.jpg', 10],
      ['photo-2.jpg', 20],
    ]);
  });

  it('leaves optional fields out rather than sending empty strings', () => {
    const { description: _d, ...fields } = localReport().fields;
    expect(reportForm(fields, [jpeg()]).has('description')).toBe(false);
    expect(reportForm(fields, [jpeg()]).has('contactEmail')).toBe(false);
  });
});

describe('outcomeOf', () => {
  it('reads 2xx as sent, and keeps the status, error code and Retry-After of anything else', async () => {
    expect(await outcomeOf(json(201, {}))).toEqual({ kind: 'sent', status: 201 });
    expect(await outcomeOf(json(200, {}))).toEqual({ kind: 'sent', status: 200 });
    expect(
      await outcomeOf(json(409, { error: { code: 'report_id_conflict', message: 'taken', field: 'id' } })),
    ).toEqual({
      kind: 'http',
      status: 409,
      code: 'report_id_conflict',
      message: 'taken',
      retryAfterSeconds: undefined,
    });
    expect(
      await outcomeOf(
        json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '90' }),
      ),
    ).toMatchObject({
      status: 429,
      retryAfterSeconds: 90,
    });
    expect(await outcomeOf(new Response('<html>Bad gateway</html>', { status: 502 }))).toEqual({
      kind: 'http',
      status: 502,
      code: undefined,
      message: undefined,
      retryAfterSeconds: undefined,
    });
  });
});

describe('createTransport', () => {
  it('PUTs the queued report to /api/reports/:id with the reporter token header', async () => {
    const db = openDb(dbName());
    dbs.push(db);
    const store = new OutboxStore(db);
    const report = localReport();
    await store.enqueue(report, [jpeg(321)]);
    const requests: { url: string; init: RequestInit }[] = [];
    const send = createTransport({
      load: (id) => store.load(id),
      token: async () => TOKEN,
      fetch: async (url, init) => {
        requests.push({ url: String(url), init: init! });
        return json(201, {});
      },
    });
    expect(await send(report.id)).toEqual({ kind: 'sent', status: 201 });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe(`/api/reports/${report.id}`);
    expect(requests[0]!.init.method).toBe('PUT');
    expect(requests[0]!.init.headers).toEqual({ 'X-Reporter-Token': TOKEN });
    const body = requests[0]!.init.body as FormData;
    expect((body.get('photos') as File).size).toBe(321);
    expect(body.get('lat')).toBe('47.705');
  });

  it('turns a thrown fetch (offline, reset, timeout) into a network outcome, and a missing entry into "gone"', async () => {
    const db = openDb(dbName());
    dbs.push(db);
    const store = new OutboxStore(db);
    const report = localReport();
    await store.enqueue(report, [jpeg()]);
    let locked = 0;
    const send = createTransport({
      load: (id) => store.load(id),
      token: async () => TOKEN,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      withLock: async (fn) => {
        locked++;
        return fn();
      },
    });
    expect(await send(report.id)).toEqual({ kind: 'network', message: 'Failed to fetch' });
    expect(await send('00000000-0000-4000-8000-ffffffffffff')).toEqual({ kind: 'gone' });
    expect(locked).toBe(2);
  });
});
