import { describe, expect, it } from 'vitest';
import {
  initialState,
  isTransientStatus,
  newEntry,
  outboxCounts,
  transition,
  type MachineContext,
  type OutboxEffect,
  type OutboxEvent,
  type OutboxState,
} from '../../../client/src/offline/outbox.machine';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const ctx = (now: number, random = 0.5): MachineContext => ({ now, random: () => random });

/** Runs events from a state, collecting effects. */
function run(
  state: OutboxState,
  events: [OutboxEvent, number][],
): { state: OutboxState; effects: OutboxEffect[] } {
  const effects: OutboxEffect[] = [];
  for (const [event, now] of events) {
    const t = transition(state, event, ctx(now));
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

function loaded(...ids: string[]): OutboxState {
  return transition(
    initialState(),
    { type: 'loaded', entries: ids.map((id, i) => newEntry(id, T0 + i)) },
    ctx(T0),
  ).state;
}

const sends = (effects: OutboxEffect[]) =>
  effects.filter((e) => e.type === 'send').map((e) => (e as { id: string }).id);

describe('outbox state machine', () => {
  it('sends one entry at a time, oldest first, and removes each only after a 2xx', () => {
    let s = loaded('a', 'b');
    let t = transition(s, { type: 'trigger', reason: 'start' }, ctx(T0));
    expect(sends(t.effects)).toEqual(['a']);
    expect(t.state.inFlight).toBe('a');
    s = t.state;
    // A second trigger while 'a' is on its way starts nothing.
    t = transition(s, { type: 'trigger', reason: 'online' }, ctx(T0 + 10));
    expect(sends(t.effects)).toEqual([]);
    t = transition(
      s,
      { type: 'sendFinished', id: 'a', outcome: { kind: 'sent', status: 201 } },
      ctx(T0 + 100),
    );
    expect(t.effects).toContainEqual({ type: 'markSent', id: 'a', at: T0 + 100 });
    expect(sends(t.effects)).toEqual(['b']);
    expect(t.state.entries.map((e) => e.id)).toEqual(['b']);
    t = transition(
      t.state,
      { type: 'sendFinished', id: 'b', outcome: { kind: 'sent', status: 200 } },
      ctx(T0 + 200),
    );
    expect(t.state.entries).toEqual([]);
    expect(t.effects).toContainEqual({ type: 'schedule', at: null });
  });

  it('counts each attempt and persists it before sending', () => {
    const t = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0 + 5));
    const save = t.effects.find((e) => e.type === 'save');
    expect(save).toMatchObject({ entry: { id: 'a', attempts: 1, lastAttemptAt: T0 + 5 } });
    expect(t.effects.findIndex((e) => e.type === 'save')).toBeLessThan(
      t.effects.findIndex((e) => e.type === 'send'),
    );
  });

  it('keeps the entry on a network error and backs off 1 s, then 2 s, 4 s ... up to 5 minutes', () => {
    let s = loaded('a');
    let now = T0;
    const gates: number[] = [];
    s = transition(s, { type: 'trigger', reason: 'start' }, ctx(now)).state;
    for (let i = 0; i < 12; i++) {
      const t = transition(s, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(now));
      expect(t.state.entries.map((e) => e.id)).toEqual(['a']);
      expect(t.effects).toContainEqual({ type: 'requestBackgroundSync' });
      gates.push(t.state.gateUntil - now);
      // The timer (not forced) respects the gate...
      const early = transition(t.state, { type: 'trigger', reason: 'timer' }, ctx(t.state.gateUntil - 1));
      expect(sends(early.effects)).toEqual([]);
      expect(early.effects).toContainEqual({ type: 'schedule', at: t.state.gateUntil });
      // ...and fires at it.
      now = t.state.gateUntil;
      const due = transition(t.state, { type: 'trigger', reason: 'timer' }, ctx(now));
      expect(sends(due.effects)).toEqual(['a']);
      s = due.state;
    }
    expect(gates).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300].map((x) => x * 1000));
    expect(s.entries[0]!.attempts).toBe(13);
  });

  it('treats 5xx, 408 and 429 like network errors (kept, retried with backoff)', () => {
    for (const status of [500, 502, 503, 504, 408, 429]) {
      let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
      s = transition(s, { type: 'sendFinished', id: 'a', outcome: { kind: 'http', status } }, ctx(T0)).state;
      expect(s.entries).toHaveLength(1);
      expect(s.entries[0]).toMatchObject({ state: 'waiting', lastError: { status } });
      expect(s.gateUntil).toBeGreaterThan(T0);
    }
    expect(isTransientStatus(404)).toBe(false);
    expect(isTransientStatus(302)).toBe(true);
  });

  it("waits for the server's Retry-After on 429", () => {
    let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
    s = transition(
      s,
      { type: 'sendFinished', id: 'a', outcome: { kind: 'http', status: 429, retryAfterSeconds: 120 } },
      ctx(T0),
    ).state;
    expect(s.gateUntil).toBe(T0 + 120_000);
  });

  it('surfaces a 409 as a conflict and keeps it, then goes on with the next entry', () => {
    let t = transition(loaded('a', 'b'), { type: 'trigger', reason: 'start' }, ctx(T0));
    t = transition(
      t.state,
      {
        type: 'sendFinished',
        id: 'a',
        outcome: { kind: 'http', status: 409, code: 'report_id_conflict', message: 'taken' },
      },
      ctx(T0 + 1),
    );
    expect(t.state.entries.find((e) => e.id === 'a')).toMatchObject({
      state: 'conflict',
      lastError: { status: 409, code: 'report_id_conflict' },
    });
    expect(t.effects).toContainEqual(
      expect.objectContaining({
        type: 'save',
        entry: expect.objectContaining({ id: 'a', state: 'conflict' }),
      }),
    );
    expect(sends(t.effects)).toEqual(['b']);
    expect(t.effects.some((e) => e.type === 'markSent')).toBe(false);
    expect(outboxCounts(t.state)).toEqual({ waiting: 1, attention: 1 });
  });

  it('keeps other 4xx as needing attention, never deletes them, and never retries them by itself', () => {
    for (const status of [400, 401, 403, 404, 413, 415, 422]) {
      let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
      const t = transition(
        s,
        { type: 'sendFinished', id: 'a', outcome: { kind: 'http', status, code: 'x' } },
        ctx(T0),
      );
      s = t.state;
      expect(s.entries).toEqual([
        expect.objectContaining({
          id: 'a',
          state: 'attention',
          lastError: { status, code: 'x', message: undefined },
        }),
      ]);
      expect(t.effects.some((e) => e.type === 'markSent')).toBe(false);
      for (const reason of ['start', 'online', 'visible', 'timer', 'interval', 'manual'] as const) {
        expect(sends(transition(s, { type: 'trigger', reason }, ctx(T0 + 3_600_000)).effects)).toEqual([]);
      }
    }
  });

  it('retries an entry needing attention when the person asks', () => {
    let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
    s = transition(
      s,
      { type: 'sendFinished', id: 'a', outcome: { kind: 'http', status: 422 } },
      ctx(T0),
    ).state;
    const t = transition(s, { type: 'retry', id: 'a' }, ctx(T0 + 10));
    expect(sends(t.effects)).toEqual(['a']);
    expect(t.state.entries[0]).toMatchObject({ state: 'waiting', lastError: null });
  });

  it('stops the pass at the first transient failure instead of failing every entry in turn', () => {
    let t = transition(loaded('a', 'b', 'c'), { type: 'trigger', reason: 'start' }, ctx(T0));
    t = transition(t.state, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(T0 + 1));
    expect(sends(t.effects)).toEqual([]);
    expect(t.state.entries.map((e) => e.attempts)).toEqual([1, 0, 0]);
  });

  it('lets forced triggers (online, app start, visible, after a save) skip the backoff', () => {
    let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
    for (let i = 0; i < 8; i++) {
      s = transition(s, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(T0)).state;
      s = transition(s, { type: 'trigger', reason: 'manual' }, ctx(T0)).state;
    }
    s = transition(s, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(T0)).state;
    expect(s.gateUntil - T0).toBeGreaterThan(100_000);
    expect(sends(transition(s, { type: 'trigger', reason: 'interval' }, ctx(T0 + 1000)).effects)).toEqual([]);
    for (const reason of ['online', 'start', 'visible', 'saved', 'background-sync'] as const) {
      expect(sends(transition(s, { type: 'trigger', reason }, ctx(T0 + 1000)).effects)).toEqual(['a']);
    }
  });

  it('rotates: an entry that keeps failing with 5xx does not block the ones behind it', () => {
    let t = transition(loaded('poison', 'ok'), { type: 'trigger', reason: 'start' }, ctx(T0));
    expect(sends(t.effects)).toEqual(['poison']);
    t = transition(
      t.state,
      { type: 'sendFinished', id: 'poison', outcome: { kind: 'http', status: 500 } },
      ctx(T0),
    );
    t = transition(t.state, { type: 'trigger', reason: 'timer' }, ctx(t.state.gateUntil));
    expect(sends(t.effects)).toEqual(['ok']);
  });

  it('never expires an entry, however long it has waited', () => {
    let s = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0)).state;
    let now = T0;
    for (let day = 0; day < 400; day += 7) {
      s = transition(s, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(now)).state;
      now = Math.max(s.gateUntil, T0 + day * 86_400_000);
      s = transition(s, { type: 'trigger', reason: 'timer' }, ctx(now)).state;
      expect(s.entries.map((e) => e.id)).toEqual(['a']);
      expect(s.inFlight).toBe('a');
    }
  });

  it('takes a report already gone from storage (sent by the service worker) off the queue quietly', () => {
    let t = transition(loaded('a', 'b'), { type: 'trigger', reason: 'start' }, ctx(T0));
    t = transition(t.state, { type: 'sendFinished', id: 'a', outcome: { kind: 'gone' } }, ctx(T0));
    expect(t.state.entries.map((e) => e.id)).toEqual(['b']);
    expect(t.effects.some((e) => e.type === 'markSent')).toBe(false);
    expect(sends(t.effects)).toEqual(['b']);
  });

  it('keeps an in-flight send when storage is re-read, and ignores a duplicate "added"', () => {
    const started = run(loaded('a'), [[{ type: 'trigger', reason: 'start' }, T0]]).state;
    const reloaded = transition(
      started,
      { type: 'loaded', entries: [newEntry('b', T0 + 5)] },
      ctx(T0 + 1),
    ).state;
    expect(reloaded.inFlight).toBe('a');
    const twice = run(reloaded, [
      [{ type: 'added', entry: newEntry('c', T0 + 9) }, T0 + 2],
      [{ type: 'added', entry: newEntry('c', T0 + 9) }, T0 + 3],
    ]).state;
    expect(twice.entries.map((e) => e.id)).toEqual(['b', 'c']);
  });

  it('forgets an entry the person deleted, even if its upload then fails', () => {
    let t = transition(loaded('a'), { type: 'trigger', reason: 'start' }, ctx(T0));
    t = transition(t.state, { type: 'removed', id: 'a' }, ctx(T0));
    t = transition(t.state, { type: 'sendFinished', id: 'a', outcome: { kind: 'network' } }, ctx(T0));
    expect(t.state.entries).toEqual([]);
    expect(t.state.inFlight).toBeNull();
    expect(t.effects.some((e) => e.type === 'save')).toBe(false);
  });
});
