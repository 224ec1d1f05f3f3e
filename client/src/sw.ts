import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { backgroundSyncPass } from './offline/background-sync';
import { OUTBOX_CHANGED, SYNC_TAG } from './offline/sync-names';

/**
 * The resident app's service worker: precaches the app shell (so the app opens with no
 * network after the first visit), answers navigations with it, and sends the outbox on
 * Background Sync where the browser has it. API calls and photos always go to the network.
 */

/** The slice of ServiceWorkerGlobalScope used here (the project's TS lib is DOM, not WebWorker). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SyncEvent extends ExtendableEvent {
  tag: string;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  clients: {
    claim(): Promise<void>;
    matchAll(options?: {
      type?: string;
      includeUncontrolled?: boolean;
    }): Promise<{ postMessage(m: unknown): void }[]>;
  };
  addEventListener(type: 'message', fn: (e: MessageEvent<{ type?: string }>) => void): void;
  addEventListener(type: 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'sync', fn: (e: SyncEvent) => void): void;
}
const sw = self as unknown as ServiceWorkerScope;

// The list of files is injected at build time (vite-plugin-pwa, injectManifest); staff-only
// chunks are filtered out of it in vite.config.ts, so residents never download staff code.
precacheAndRoute(
  (self as unknown as { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] }).__WB_MANIFEST,
);
cleanupOutdatedCaches();

// Client-side routes get the app shell; the API, photos, the staff screens and the server's own
// pages (privacy notices, unsubscribe links) never do.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/api(\/|$)/, /^\/staff(\/|$)/, /\/photos(\/|$)/, /^\/(privacy|unsubscribe)(\/|$)/],
  }),
);

// A new version waits until the person chooses "reload" (no code swapped under their feet).
sw.addEventListener('message', (e) => {
  if (e.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

// First install: take control at once, so lazily loaded chunks come from the precache even
// before the first reload. (Updates only activate after SKIP_WAITING, i.e. on the person's request.)
sw.addEventListener('activate', (e) => e.waitUntil(sw.clients.claim()));

sw.addEventListener('sync', (e) => {
  if (e.tag !== SYNC_TAG) return;
  e.waitUntil(
    backgroundSyncPass((...a) => fetch(...a)).finally(async () => {
      for (const client of await sw.clients.matchAll({ type: 'window' }))
        client.postMessage({ type: OUTBOX_CHANGED });
    }),
  );
});
