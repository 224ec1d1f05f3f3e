import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  enqueue,
  flush,
  isRetryable,
  memoryStore,
  outboxKey,
  type OutboxDeps,
  type OutboxItem,
  type SendOutcome,
} from '../../../client/src/staff/crew/outbox';

const PLAN = '6f1d8c1e-0000-4000-8000-000000000001';
const R1 = '6f1d8c1e-0000-4000-8000-0000000000a1';
const R2 = '6f1d8c1e-0000-4000-8000-0000000000a2';
const AT = '2026-11-24T09:15:00+01:00';

/** An outbox whose network answers from a script, with a clock the test moves. */
function harness(answers: Array<SendOutcome | 'throw'>) {
  let clock = 1_000_000;
  const sent: OutboxItem[] = [];
  const deps: OutboxDeps = {
    store: memoryStore(),
    now: () => clock,
    send: (item) => {
      sent.push(item);
      const a = answers.shift() ?? { status: 200 };
      return a === 'throw' ? Promise.reject(new Error('offline')) : Promise.resolve(a);
    },
  };
  return { deps, sent, tick: (ms: number) => (clock += ms), now: () => clock };
}

describe('crew outbox', () => {
  it('keeps one entry per stop: a later update replaces an earlier unsent one', async () => {
    const h = harness([]);
    await enqueue(h.deps, PLAN, R1, { status: 'skipped', at: AT });
    await enqueue(h.deps, PLAN, R1, { status: 'done', note: 'rebouché', at: AT });
    await enqueue(h.deps, PLAN, R2, { status: 'done', at: AT });
    const items = await h.deps.store.all();
    expect(items.map((i) => i.key).sort()).toEqual([outboxKey(PLAN, R1), outboxKey(PLAN, R2)].sort());
    expect(items.find((i) => i.reportId === R1)).toMatchObject({ version: 2, body: { status: 'done' } });
  });

  it('removes an item only after a 2xx', async () => {
    const h = harness([{ status: 200 }]);
    await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT });
    expect(await flush(h.deps)).toBeUndefined();
    expect(await h.deps.store.all()).toEqual([]);
    expect(h.sent).toHaveLength(1);
  });

  it('retries network failures and 5xx with growing backoff, then sends', async () => {
    const h = harness(['throw', { status: 503 }, { status: 204 }]);
    await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT });
    const first = await flush(h.deps);
    expect(first).toBe(h.now() + 1_000);
    expect(await flush(h.deps)).toBe(first); // not due yet: nothing sent
    expect(h.sent).toHaveLength(1);
    h.tick(1_000);
    expect(await flush(h.deps)).toBe(h.now() + 2_000);
    h.tick(2_000);
    expect(await flush(h.deps)).toBeUndefined();
    expect(h.sent).toHaveLength(3);
    expect(await h.deps.store.all()).toEqual([]);
  });

  it('marks a 4xx refusal as rejected and stops retrying it, keeping it visible', async () => {
    const h = harness([{ status: 409, code: 'plan_closed' }]);
    await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT });
    expect(await flush(h.deps)).toBeUndefined();
    expect(await flush(h.deps)).toBeUndefined();
    expect(h.sent).toHaveLength(1);
    expect(await h.deps.store.all()).toMatchObject([{ rejected: 'plan_closed' }]);
  });

  it('does not delete a newer update that replaced the one in flight', async () => {
    const h = harness([]);
    await enqueue(h.deps, PLAN, R1, { status: 'skipped', at: AT });
    h.deps.send = async () => {
      await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT });
      return { status: 200 };
    };
    await flush(h.deps);
    expect(await h.deps.store.all()).toMatchObject([{ version: 2, body: { status: 'done' } }]);
  });

  it('keeps the after-photo in the item, and with the stop when a later update brings none', async () => {
    const h = harness([{ status: 503 }, { status: 200 }]);
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' });
    await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT }, photo);
    await flush(h.deps);
    expect(h.sent[0]!.photo).toBe(photo);
    // Changed outcome, same stop: the photo taken there still goes.
    await enqueue(h.deps, PLAN, R1, { status: 'not_fixable', at: AT });
    const [item] = await h.deps.store.all();
    expect(item).toMatchObject({ version: 2, attempts: 0, body: { status: 'not_fixable' } });
    expect(item!.photo).toBe(photo);
    expect(await flush(h.deps)).toBeUndefined();
    expect(h.sent[1]!.photo).toBe(photo);
    expect(await h.deps.store.all()).toEqual([]);
  });

  it('does not resurrect an item deleted while it was being sent', async () => {
    const h = harness([]);
    await enqueue(h.deps, PLAN, R1, { status: 'done', at: AT });
    h.deps.send = async (item) => {
      await h.deps.store.delete(item.key);
      return { status: 503 };
    };
    await flush(h.deps);
    expect(await h.deps.store.all()).toEqual([]);
  });

  it('caps the backoff and retries only what is worth retrying', () => {
    expect([1, 2, 3, 4, 10].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect([0, 408, 429, 500, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryable)).toBe(false);
  });
});
