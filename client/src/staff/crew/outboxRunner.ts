import Dexie, { type Table } from 'dexie';
import type { PlanView, StopUpdateRequest } from '../../../../server/src/contract/plans';
import { ApiError } from '../api';
import { putStop } from '../plans/plansApi';
import { enqueue, flush, memoryStore, type OutboxDeps, type OutboxItem, type OutboxStore } from './outbox';

class CrewDb extends Dexie {
  outbox!: Table<OutboxItem, string>;
  constructor() {
    super('vigie-staff-crew');
    this.version(1).stores({ outbox: 'key' });
  }
}

function dexieStore(): OutboxStore {
  const db = new CrewDb();
  return {
    get: (key) => db.outbox.get(key),
    put: async (item) => {
      await db.outbox.put(item);
    },
    delete: (key) => db.outbox.delete(key),
    all: () => db.outbox.toArray(),
    update: (key, change) =>
      db.transaction('rw', db.outbox, async () => {
        const out = change(await db.outbox.get(key));
        if (out === null) await db.outbox.delete(key);
        else if (out) await db.outbox.put(out);
        return out;
      }),
  };
}

type Listener = (items: OutboxItem[]) => void;
type SentListener = (plan: PlanView) => void;

/**
 * The crew's stop-update outbox in this browser: IndexedDB-backed, flushed now, on `online`,
 * and on a backoff timer. Listeners get the waiting items after every change.
 */
export function createOutboxRunner(
  store: OutboxStore = typeof indexedDB === 'undefined' ? memoryStore() : dexieStore(),
) {
  const sentListeners = new Set<SentListener>();
  const send = async (item: OutboxItem) => {
    try {
      const plan = await putStop(item.planId, item.reportId, item.body, item.photo);
      // The server's copy of the plan (with the after-photo's address) replaces the optimistic one.
      for (const l of sentListeners) l(plan);
      return { status: 200 };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, code: err.code };
      return { status: 0 };
    }
  };
  const deps: OutboxDeps = { store, send, now: () => Date.now() };
  const listeners = new Set<Listener>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const notify = async () => {
    const items = await store.all();
    for (const l of listeners) l(items);
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          clearTimeout(timer);
          const next = await flush(deps);
          await notify();
          if (next !== undefined) timer = setTimeout(() => void run(), Math.max(50, next - Date.now()));
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const onOnline = () => {
    // Back online: retry everything now rather than wait out the backoff.
    void store.all().then(async (items) => {
      for (const i of items) if (!i.rejected) await store.put({ ...i, nextAt: 0 });
      await run();
    });
  };
  window.addEventListener('online', onOnline);

  return {
    /** Queues an update (with its after-photo, if any) and tries to send it at once. */
    async add(planId: string, reportId: string, body: StopUpdateRequest, photo?: Blob): Promise<void> {
      await enqueue(deps, planId, reportId, body, photo);
      await notify();
      void run();
    },
    /** Sends what is due now. */
    flush: run,
    /** The items still waiting. */
    items: () => store.all(),
    subscribe(l: Listener): () => void {
      listeners.add(l);
      void notify();
      return () => listeners.delete(l);
    },
    /** Called with the server's plan after each update it accepted. */
    onSent(l: SentListener): () => void {
      sentListeners.add(l);
      return () => sentListeners.delete(l);
    },
    stop() {
      clearTimeout(timer);
      window.removeEventListener('online', onOnline);
    },
  };
}

/** The runner the crew screens share. */
export type OutboxRunner = ReturnType<typeof createOutboxRunner>;
