import { backoffDelay, retryAfterDelay } from './backoff';

/**
 * The outbox as a pure state machine: `transition(state, event, ctx)` returns the next state
 * and the side effects to perform (send a report, write to storage, set a timer). Nothing in
 * here touches the network, the clock, randomness or storage: they come in through `ctx` and
 * go out as effects, so every rule below is tested with plain values and fake timers.
 *
 * Rules (DESIGN.md §3):
 * - an entry leaves the outbox only after a 2xx;
 * - 409 (the id was used for something else) is kept and shown to the person as a conflict;
 * - any other 4xx is kept and shown as needing attention, never deleted silently;
 * - network errors, 5xx, 408 and 429 are transient: exponential backoff (1 s doubling to 5 min,
 *   with jitter), and the entry stays in the queue forever.
 */

/** Where an entry stands locally. */
export type EntryState =
  /** Queued: will be sent automatically. */
  | 'waiting'
  /** The server refused it (4xx other than 409): the person must look at it. */
  | 'attention'
  /** The server holds a different report under this id (409). */
  | 'conflict';

/** What went wrong on the last attempt, as shown to the person. */
export interface SyncError {
  /** HTTP status, absent for network errors. */
  status?: number;
  /** Stable error code from the server's error body, e.g. `outside_communes`. */
  code?: string;
  /** Human-readable message from the server (or the network layer). */
  message?: string;
}

/** The sync bookkeeping of one outbox entry (the report itself lives in storage). */
export interface SyncEntry {
  /** The client-generated report UUID. */
  id: string;
  /** When the person saved it (ms since the epoch): the queue's order. */
  createdAt: number;
  state: EntryState;
  /** Attempts made so far (shown as "tried N times"). */
  attempts: number;
  /** Time of the last attempt (ms), null if never tried. The least recently tried goes first. */
  lastAttemptAt: number | null;
  /** Why the last attempt failed, null if it did not. */
  lastError: SyncError | null;
}

/** How one attempt to send an entry ended. */
export type SendOutcome =
  /** The server answered 2xx: stored (201) or already stored (200). */
  | { kind: 'sent'; status: number }
  /** The entry is no longer in local storage (another tab or the service worker sent it). */
  | { kind: 'gone' }
  /** No answer: offline, DNS, reset connection, timeout. */
  | { kind: 'network'; message?: string }
  /** The server answered with a non-2xx status. */
  | { kind: 'http'; status: number; code?: string; message?: string; retryAfterSeconds?: number };

/** Why a sync pass is requested. */
export type TriggerReason =
  | 'start'
  | 'saved'
  | 'online'
  | 'visible'
  | 'manual'
  | 'background-sync'
  /** The backoff timer set by a `schedule` effect. */
  | 'timer'
  /** The periodic safety net while the app is open. */
  | 'interval';

/** Triggers that mean "try now" whatever the backoff says: the person or the browser saw a reason. */
const FORCED: ReadonlySet<TriggerReason> = new Set([
  'start',
  'saved',
  'online',
  'visible',
  'manual',
  'background-sync',
]);

/** The machine's state. */
export interface OutboxState {
  /** Entries not yet accepted by the server, in creation order. */
  entries: SyncEntry[];
  /** The id being sent (one at a time: a weak connection is not shared between uploads). */
  inFlight: string | null;
  /** Consecutive transient failures: the exponent of the backoff. */
  failures: number;
  /** No automatic attempt before this time (ms); forced triggers ignore it. */
  gateUntil: number;
  /** A forced pass is under way: it goes through the queue until it is empty or a transient failure. */
  passing: boolean;
}

/** Inputs of the machine. */
export type OutboxEvent =
  /** Entries read from storage (start, or another context changed them). */
  | { type: 'loaded'; entries: SyncEntry[] }
  /** A report was saved to the outbox. */
  | { type: 'added'; entry: SyncEntry }
  /** Something suggests trying to send now. */
  | { type: 'trigger'; reason: TriggerReason }
  /** The `send` effect finished. */
  | { type: 'sendFinished'; id: string; outcome: SendOutcome }
  /** The person asks to try an entry that needed attention again. */
  | { type: 'retry'; id: string }
  /** The person deleted an entry (explicitly, after a confirmation). */
  | { type: 'removed'; id: string };

/** Outputs of the machine, performed by the runner. */
export type OutboxEffect =
  /** Upload this entry; answer with `sendFinished`. */
  | { type: 'send'; id: string }
  /** Persist the entry's sync bookkeeping. */
  | { type: 'save'; entry: SyncEntry }
  /** The server has it: move the entry out of the outbox (into the local history). */
  | { type: 'markSent'; id: string; at: number }
  /** Wake the machine with a `timer` trigger at this time (null: no timer needed). */
  | { type: 'schedule'; at: number | null }
  /** Ask the browser to wake the service worker when connectivity returns (where supported). */
  | { type: 'requestBackgroundSync' };

/** The outside world as the machine sees it: injected, so tests control time and chance. */
export interface MachineContext {
  /** Current time, ms since the epoch. */
  now: number;
  /** Uniform random number in [0, 1), for the backoff jitter. */
  random: () => number;
}

/** Result of one transition. */
export interface Transition {
  state: OutboxState;
  effects: OutboxEffect[];
}

/** An empty outbox. */
export function initialState(): OutboxState {
  return { entries: [], inFlight: null, failures: 0, gateUntil: 0, passing: false };
}

/** A freshly saved entry's bookkeeping. */
export function newEntry(id: string, createdAt: number): SyncEntry {
  return { id, createdAt, state: 'waiting', attempts: 0, lastAttemptAt: null, lastError: null };
}

/** Whether an HTTP status is worth retrying automatically (the problem is on the way, not in the report). */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status < 200 || (status >= 300 && status < 400);
}

/** Computes the next state and the effects for an event. Pure. */
export function transition(state: OutboxState, event: OutboxEvent, ctx: MachineContext): Transition {
  switch (event.type) {
    case 'loaded': {
      const entries = [...event.entries].sort(byCreation);
      return { state: { ...state, entries }, effects: [] };
    }
    case 'added': {
      if (state.entries.some((e) => e.id === event.entry.id)) return { state, effects: [] };
      return { state: { ...state, entries: [...state.entries, event.entry].sort(byCreation) }, effects: [] };
    }
    case 'trigger': {
      const forced = FORCED.has(event.reason);
      return pump({ ...state, passing: state.passing || forced }, ctx, []);
    }
    case 'retry': {
      const entry = state.entries.find((e) => e.id === event.id);
      if (!entry || entry.state === 'waiting') return pump({ ...state, passing: true }, ctx, []);
      const updated: SyncEntry = { ...entry, state: 'waiting', lastError: null };
      return pump({ ...replace(state, updated), passing: true }, ctx, [{ type: 'save', entry: updated }]);
    }
    case 'removed': {
      return { state: { ...state, entries: state.entries.filter((e) => e.id !== event.id) }, effects: [] };
    }
    case 'sendFinished':
      return finished(state, event.id, event.outcome, ctx);
  }
}

function finished(state: OutboxState, id: string, outcome: SendOutcome, ctx: MachineContext): Transition {
  const base: OutboxState = { ...state, inFlight: state.inFlight === id ? null : state.inFlight };
  const entry = base.entries.find((e) => e.id === id);
  const without = { ...base, entries: base.entries.filter((e) => e.id !== id) };

  if (outcome.kind === 'sent') {
    // The server has the report: reachable again, so the backoff starts over.
    return pump({ ...without, failures: 0, gateUntil: 0 }, ctx, [{ type: 'markSent', id, at: ctx.now }]);
  }
  if (outcome.kind === 'gone') return pump(without, ctx, []);
  if (!entry) return pump(base, ctx, []); // deleted by the person while it was on its way

  if (outcome.kind === 'network' || isTransientStatus(outcome.status)) {
    const failures = base.failures + 1;
    const jittered = backoffDelay(failures, ctx.random);
    const delay = outcome.kind === 'http' ? retryAfterDelay(outcome.retryAfterSeconds, jittered) : jittered;
    const lastError: SyncError =
      outcome.kind === 'network'
        ? { message: outcome.message }
        : { status: outcome.status, code: outcome.code, message: outcome.message };
    const updated: SyncEntry = { ...entry, state: 'waiting', lastError };
    const gateUntil = ctx.now + delay;
    // A transient failure ends the pass: the next entries would most likely fail the same way.
    return {
      state: { ...replace(base, updated), failures, gateUntil, passing: false },
      effects: [
        { type: 'save', entry: updated },
        { type: 'requestBackgroundSync' },
        { type: 'schedule', at: gateUntil },
      ],
    };
  }

  // The server answered and refused this report: keep it, tell the person, go on with the others.
  const updated: SyncEntry = {
    ...entry,
    state: outcome.status === 409 ? 'conflict' : 'attention',
    lastError: { status: outcome.status, code: outcome.code, message: outcome.message },
  };
  return pump({ ...replace(base, updated), failures: 0, gateUntil: 0 }, ctx, [
    { type: 'save', entry: updated },
  ]);
}

/** Starts the next send if one is due; otherwise says when to wake up. */
function pump(state: OutboxState, ctx: MachineContext, effects: OutboxEffect[]): Transition {
  if (state.inFlight !== null) return { state, effects };
  const waiting = state.entries.filter((e) => e.state === 'waiting');
  if (waiting.length === 0) {
    return { state: { ...state, passing: false }, effects: [...effects, { type: 'schedule', at: null }] };
  }
  if (!state.passing && ctx.now < state.gateUntil) {
    return { state, effects: [...effects, { type: 'schedule', at: state.gateUntil }] };
  }
  const next = waiting.reduce((a, b) => (leastRecentlyTried(b, a) ? b : a));
  const updated: SyncEntry = { ...next, attempts: next.attempts + 1, lastAttemptAt: ctx.now };
  return {
    state: { ...replace(state, updated), inFlight: next.id },
    effects: [...effects, { type: 'save', entry: updated }, { type: 'send', id: next.id }],
  };
}

/** True when `a` should go before `b`: never tried first, then least recently tried, then oldest. */
function leastRecentlyTried(a: SyncEntry, b: SyncEntry): boolean {
  const ta = a.lastAttemptAt ?? -Infinity;
  const tb = b.lastAttemptAt ?? -Infinity;
  return ta !== tb ? ta < tb : a.createdAt < b.createdAt;
}

function byCreation(a: SyncEntry, b: SyncEntry): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function replace(state: OutboxState, entry: SyncEntry): OutboxState {
  return { ...state, entries: state.entries.map((e) => (e.id === entry.id ? entry : e)) };
}

/** Counts shown on the badge and in "My reports". */
export function outboxCounts(state: OutboxState): { waiting: number; attention: number } {
  let waiting = 0;
  let attention = 0;
  for (const e of state.entries) {
    if (e.state === 'waiting') waiting++;
    else attention++;
  }
  return { waiting, attention };
}
