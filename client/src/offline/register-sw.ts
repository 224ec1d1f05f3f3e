import { Workbox } from 'workbox-window';

/** Called when a new version is installed and waiting; `apply` activates it and reloads. */
export type UpdateListener = (apply: () => void) => void;

/** A failed first install (a download cut on a weak network) is retried this often while the app is open. */
const INSTALL_RETRY_MS = 30_000;

/**
 * Registers the service worker. A new version never replaces the running code by itself: it
 * waits, the app shows "reload to update", and only the person's tap activates it. If the
 * first install fails (the precache could not be downloaded), it is tried again when the
 * network comes back and every 30 s, so the app still becomes usable offline.
 */
export function registerServiceWorker(onUpdate: UpdateListener): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    onUpdate(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  void wb.register().catch((err: unknown) => console.warn('service worker registration failed', err));

  const ensureInstalled = async () => {
    const reg = await navigator.serviceWorker.getRegistration('/');
    if (reg?.active || reg?.waiting || reg?.installing) return;
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  };
  const retry = () => void ensureInstalled().catch(() => undefined);
  window.addEventListener('online', retry);
  const timer = setInterval(() => {
    if (navigator.serviceWorker.controller) clearInterval(timer);
    else retry();
  }, INSTALL_RETRY_MS);
}
