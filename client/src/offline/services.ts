import { kvGet, kvSet, openDb, type LocalReport, type VigieDb } from './db';
import { initialState, type OutboxState } from './outbox.machine';
import { OutboxRunner, type Clock } from './outbox.runner';
import { OutboxStore } from './outbox.store';
import { reporterToken } from './token';
import { OUTBOX_CHANGED, SYNC_TAG, UPLOAD_LOCK } from './sync-names';
import { createTransport, webLock } from './transport';

/** Safety-net sync while the app is open (the backoff timer does the real scheduling). */
const INTERVAL_MS = 60_000;

/** The offline machinery of a page: database, outbox, sync loop. One per page. */
export interface OfflineServices {
  db: VigieDb;
  store: OutboxStore;
  /** The device's reporter token (created on first use). */
  token(): Promise<string>;
  /** Current outbox state (for `useSyncExternalStore`). */
  snapshot(): OutboxState;
  subscribe(listener: () => void): () => void;
  /** Saves a report and its photos in one transaction, then starts sending it. */
  save(report: LocalReport, photos: readonly Blob[]): Promise<void>;
  /** Tries an entry that needed attention again. */
  retry(id: string): Promise<void>;
  /** Deletes an unsent entry (the person confirmed). */
  remove(id: string): Promise<void>;
  /** After a 409: queues the same report under a new id. */
  sendAsNew(id: string): Promise<void>;
  /** Tries to send now (pull-to-refresh, "retry now"). */
  syncNow(): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A v4 UUID; `crypto.randomUUID` exists only in secure contexts (a town-hall LAN may be plain HTTP). */
export function newReportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const reg = (await navigator.serviceWorker.getRegistration()) as
    (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
  await reg?.sync?.register(SYNC_TAG);
}

/** Asks the browser not to evict the outbox under storage pressure (once, after the first report). */
async function requestPersistence(db: VigieDb): Promise<void> {
  if (!navigator.storage?.persist || (await kvGet(db, 'persistRequested'))) return;
  await kvSet(db, 'persistRequested', true);
  if (!(await navigator.storage.persisted())) await navigator.storage.persist();
}

/**
 * Starts the outbox for this page: loads it, sends what is due, and wires every trigger —
 * app start, after a save, `online`, the page becoming visible, a timer while open, the
 * service worker saying it synced — plus Background Sync where the browser has it.
 */
export function startOfflineServices(): OfflineServices {
  const db = openDb();
  const store = new OutboxStore(db);
  const token = () => reporterToken(db);
  const listeners = new Set<() => void>();
  let state: OutboxState = initialState();

  const runner = new OutboxRunner({
    store,
    send: createTransport({
      load: (id) => store.load(id),
      fetch: (...a) => fetch(...a),
      token,
      withLock: webLock(UPLOAD_LOCK),
    }),
    clock: realClock,
    random: Math.random,
    requestBackgroundSync: () => void requestBackgroundSync().catch(() => {}),
    onChange: (s) => {
      state = s;
      for (const l of listeners) l();
    },
    onError: (err) => console.error('outbox', err),
  });

  void runner.refresh('start');
  window.addEventListener('online', () => void runner.refresh('online'));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void runner.refresh('visible');
  });
  setInterval(() => void runner.refresh('interval'), INTERVAL_MS);
  navigator.serviceWorker?.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
    if (e.data?.type === OUTBOX_CHANGED) void runner.refresh('interval');
  });

  return {
    db,
    store,
    token,
    snapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async save(report, photos) {
      const entry = await store.enqueue(report, photos);
      runner.dispatch({ type: 'added', entry });
      runner.dispatch({ type: 'trigger', reason: 'saved' });
      void requestBackgroundSync().catch(() => {});
      void requestPersistence(db).catch(() => {});
    },
    async retry(id) {
      runner.dispatch({ type: 'retry', id });
    },
    async remove(id) {
      await store.remove(id);
      runner.dispatch({ type: 'removed', id });
    },
    async sendAsNew(id) {
      const entry = await store.requeueUnderNewId(id, newReportId());
      runner.dispatch({ type: 'removed', id });
      if (entry) {
        runner.dispatch({ type: 'added', entry });
        runner.dispatch({ type: 'trigger', reason: 'manual' });
      }
    },
    syncNow() {
      void runner.refresh('manual');
    },
  };
}
