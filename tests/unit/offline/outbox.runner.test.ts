import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type VigieDb } from '../../../client/src/offline/db';
import type { SendOutcome } from '../../../client/src/offline/outbox.machine';
import { OutboxRunner } from '../../../client/src/offline/outbox.runner';
import { OutboxStore } from '../../../client/src/offline/outbox.store';
import { dbName, jpeg, localReport } from './helpers';

/**
 * The runner against a real IndexedDB (fake-indexeddb) and fake timers: what a phone does
 * over minutes of bad network, played in milliseconds.
 */

let db: VigieDb;
let store: OutboxStore;
let runners: OutboxRunner[] = [];

beforeEach(() => {
  // IndexedDB (fake-indexeddb) schedules with setImmediate: only timeouts and the clock are faked.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(Date.UTC(2025, 0, 6, 8, 0, 0));
  db = openDb(dbName());
  store = new OutboxStore(db);
});
afterEach(async () => {
  for (const r of runners) r.stop();
  runners = [];
  vi.useRealTimers();
  db.close();
});

/** A runner whose uploads are answered by `answer` (called with the id and the attempt number). */
function makeRunner(answer: (id: string, call: number) => SendOutcome | Promise<SendOutcome>) {
  const calls: string[] = [];
  const backgroundSyncs: number[] = [];
  const runner = new OutboxRunner({
    store,
    send: async (id) => {
      calls.push(id);
      const queued = await store.load(id);
      if (!queued) return { kind: 'gone' };
      return answer(id, calls.length);
    },
    clock: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as never),
    },
    random: () => 0.5,
    requestBackgroundSync: () => backgroundSyncs.push(Date.now()),
  });
  runners.push(runner);
  return { runner, calls, backgroundSyncs };
}

/**
 * Lets `ms` of fake time pass, firing the backoff timer each time it is due and letting the
 * resulting upload and storage writes (real IndexedDB work) finish before time moves on.
 */
async function elapse(ms: number, runner: OutboxRunner): Promise<void> {
  const end = Date.now() + ms;
  await runner.idle();
  for (let guard = 0; guard < 10_000; guard++) {
    const { gateUntil, entries, inFlight } = runner.state;
    const timerPending =
      inFlight === null && entries.some((e) => e.state === 'waiting') && gateUntil > Date.now();
    const next = timerPending ? gateUntil : Infinity;
    if (next > end) {
      await vi.advanceTimersByTimeAsync(end - Date.now());
      await runner.idle();
      return;
    }
    await vi.advanceTimersByTimeAsync(next - Date.now());
    await runner.idle();
  }
  throw new Error('elapse: too many timer rounds');
}

describe('outbox runner with IndexedDB', () => {
  it('writes the report and all its photos in one transaction, and removes them only after a 2xx', async () => {
    const report = localReport();
    await store.enqueue(report, [jpeg(2000), jpeg(3000)]);
    expect((await store.load(report.id))?.photos.map((p) => p.size)).toEqual([2000, 3000]);

    const { runner, calls } = makeRunner(() => ({ kind: 'sent', status: 201 }));
    await runner.refresh('start');
    await runner.idle();

    expect(calls).toEqual([report.id]);
    expect(await store.listSync()).toEqual([]);
    expect(await db.photos.count()).toBe(0);
    const sent = await store.listSent();
    expect(sent.map((s) => s.id)).toEqual([report.id]);
    expect(sent[0]).not.toHaveProperty('state');
    expect(runner.counts).toEqual({ waiting: 0, attention: 0 });
  });

  it('enqueue is all or nothing: a failing photo write leaves no half report behind', async () => {
    const report = localReport();
    const bad = (() => 1) as unknown as Blob; // a function cannot be stored: the photo write throws
    await expect(store.enqueue(report, [jpeg(), bad])).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.photos.count()).toBe(0);
  });

  it('backs off 1 s, 2 s, 4 s on network errors, keeps the report, and sends it when the network returns', async () => {
    const report = localReport();
    await store.enqueue(report, [jpeg()]);
    let online = false;
    const { runner, calls, backgroundSyncs } = makeRunner(() =>
      online ? { kind: 'sent', status: 201 } : { kind: 'network', message: 'Failed to fetch' },
    );
    await runner.refresh('start');
    await runner.idle();
    expect(calls).toHaveLength(1);
    expect(backgroundSyncs).toHaveLength(1);

    await elapse(999, runner);
    expect(calls).toHaveLength(1); // not before 1 s
    await elapse(1, runner);
    expect(calls).toHaveLength(2);
    await elapse(1_999, runner);
    expect(calls).toHaveLength(2); // then 2 s
    await elapse(1, runner);
    expect(calls).toHaveLength(3);
    await elapse(4_000, runner);
    expect(calls).toHaveLength(4); // then 4 s

    const [entry] = await store.listSync();
    expect(entry).toMatchObject({
      id: report.id,
      state: 'waiting',
      attempts: 4,
      lastError: { message: 'Failed to fetch' },
    });

    online = true;
    await runner.refresh('online'); // the `online` event does not wait for the backoff
    await runner.idle();
    expect(calls).toHaveLength(5);
    expect(await store.listSync()).toEqual([]);
    expect((await store.listSent()).map((s) => s.id)).toEqual([report.id]);
  });

  it('keeps retrying every 5 minutes at most, for as long as it takes (nothing expires)', async () => {
    const report = localReport();
    await store.enqueue(report, [jpeg()]);
    const { runner, calls } = makeRunner(() => ({ kind: 'http', status: 503 }));
    await runner.refresh('start');
    await runner.idle();
    await elapse(6 * 3_600_000, runner);
    // 1+2+...+256 s = 511 s, then one attempt per 300 s: 9 + (21600 - 511) / 300 ≈ 79 more.
    expect(calls.length).toBeGreaterThan(75);
    expect(calls.length).toBeLessThan(85);
    expect(await store.listSync()).toEqual([expect.objectContaining({ id: report.id, state: 'waiting' })]);
    expect(await db.photos.count()).toBe(1);
  });

  it('stores a 409 as a conflict and a 422 as needing attention, sends the others, deletes nothing', async () => {
    const conflict = localReport();
    const refused = localReport();
    const fine = localReport();
    for (const r of [conflict, refused, fine]) await store.enqueue(r, [jpeg()]);
    const { runner, calls } = makeRunner((id) => {
      if (id === conflict.id)
        return { kind: 'http', status: 409, code: 'report_id_conflict', message: 'taken' };
      if (id === refused.id)
        return { kind: 'http', status: 422, code: 'outside_communes', message: 'outside' };
      return { kind: 'sent', status: 201 };
    });
    await runner.refresh('start');
    await runner.idle();
    expect(calls).toEqual([conflict.id, refused.id, fine.id]);

    const left = await store.listSync();
    expect(left).toEqual([
      expect.objectContaining({
        id: conflict.id,
        state: 'conflict',
        lastError: expect.objectContaining({ status: 409 }),
      }),
      expect.objectContaining({
        id: refused.id,
        state: 'attention',
        lastError: expect.objectContaining({ code: 'outside_communes' }),
      }),
    ]);
    expect(await db.photos.count()).toBe(2);
    expect(runner.counts).toEqual({ waiting: 0, attention: 2 });

    // Hours later, no automatic trigger touches them.
    await elapse(3 * 3_600_000, runner);
    await runner.refresh('online');
    await runner.idle();
    expect(calls).toHaveLength(3);
  });

  it('sends the same report again after a lost answer, and marks it sent once', async () => {
    // The server stored it (201) but the answer never arrived: the phone sees a network error.
    const report = localReport();
    await store.enqueue(report, [jpeg()]);
    const received: string[] = [];
    const { runner } = makeRunner((id, call) => {
      received.push(id);
      return call === 1 ? { kind: 'network', message: 'connection reset' } : { kind: 'sent', status: 200 };
    });
    await runner.refresh('start');
    await runner.idle();
    await elapse(1_000, runner);
    expect(received).toEqual([report.id, report.id]); // same id both times: the server answers 200, no duplicate
    expect(await store.listSync()).toEqual([]);
    expect(await db.sent.count()).toBe(1);
  });

  it('after a 409, "send as new" queues the same report and photos under a fresh id', async () => {
    const report = localReport();
    await store.enqueue(report, [jpeg(100), jpeg(200)]);
    const newId = '11111111-1111-4111-8111-111111111111';
    const entry = await store.requeueUnderNewId(report.id, newId);
    expect(entry).toMatchObject({ id: newId, state: 'waiting', attempts: 0 });
    expect((await store.load(newId))?.photos.map((p) => p.size)).toEqual([100, 200]);
    expect(await store.load(report.id)).toBeUndefined();
  });

  it('picks up reports another context (tab, service worker) already sent without sending them again', async () => {
    const a = localReport();
    const b = localReport();
    await store.enqueue(a, [jpeg()]);
    await store.enqueue(b, [jpeg()]);
    const { runner, calls } = makeRunner(async (id) => {
      if (id === a.id) await store.markSent(b.id, Date.now()); // the service worker sends b meanwhile
      return { kind: 'sent', status: 201 };
    });
    await runner.refresh('start');
    await runner.idle();
    expect(calls).toEqual([a.id, b.id]); // b was looked at, found gone, not uploaded
    expect((await store.listSent()).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('survives a restart: attempts and errors are in storage, and the queue resumes', async () => {
    const report = localReport();
    await store.enqueue(report, [jpeg()]);
    const first = makeRunner(() => ({ kind: 'network' }));
    await first.runner.refresh('start');
    await first.runner.idle();
    first.runner.stop();

    const second = makeRunner(() => ({ kind: 'sent', status: 201 }));
    await second.runner.refresh('start');
    await second.runner.idle();
    expect(second.calls).toEqual([report.id]);
    expect(await store.listSync()).toEqual([]);
  });
});
