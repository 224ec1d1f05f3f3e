import { kvGet, openDb } from './db';
import { OutboxRunner } from './outbox.runner';
import { OutboxStore } from './outbox.store';
import { createTransport, webLock } from './transport';
import { UPLOAD_LOCK } from './sync-names';

/**
 * One sync pass run by the service worker on a Background Sync event (the app may be closed).
 * Resolves when the outbox is empty or only holds entries the person must look at; rejects
 * when entries are still waiting, so the browser schedules another attempt.
 */
export async function backgroundSyncPass(fetchFn: typeof fetch): Promise<void> {
  const db = openDb();
  try {
    const store = new OutboxStore(db);
    const runner = new OutboxRunner({
      store,
      send: createTransport({
        load: (id) => store.load(id),
        fetch: fetchFn,
        token: async () => {
          // The page created the token before queueing anything; never invent one here.
          const token = await kvGet(db, 'reporterToken');
          if (!token) throw new Error('no reporter token on this device');
          return token;
        },
        withLock: webLock(UPLOAD_LOCK),
      }),
      clock: { now: () => Date.now(), setTimeout: () => null, clearTimeout: () => {} },
      random: Math.random,
      timers: false,
    });
    await runner.refresh('background-sync');
    await runner.idle();
    if (runner.counts.waiting > 0) throw new Error(`${runner.counts.waiting} report(s) still waiting`);
  } finally {
    db.close();
  }
}
