import type { StopUpdateRequest } from '../../../../server/src/contract/plans';

/** One stop update waiting to reach the server. */
export interface OutboxItem {
  /** `planId:reportId`: a later update of the same stop replaces an unsent earlier one. */
  key: string;
  planId: string;
  reportId: string;
  body: StopUpdateRequest;
  /**
   * The crew's after-photo, downscaled on the phone (JPEG). Kept in the item itself, so the
   * photo and the update are written in one IndexedDB transaction and leave it together.
   */
  photo?: Blob;
  /** Bumped on every replacement, so a send of an older version never deletes a newer one. */
  version: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Epoch milliseconds before which the item is not retried. */
  nextAt: number;
  /** Set when the server refused it for good (4xx): kept and shown, never retried. */
  rejected?: string;
}

/**
 * What `update` does with an item: put this one, delete it (null), or leave it (undefined).
 */
export type OutboxChange = OutboxItem | null | undefined;

/** Where the outbox keeps its items (IndexedDB in the app, a Map in tests). */
export interface OutboxStore {
  get(key: string): Promise<OutboxItem | undefined>;
  put(item: OutboxItem): Promise<void>;
  delete(key: string): Promise<void>;
  all(): Promise<OutboxItem[]>;
  /**
   * Reads an item and writes what `change` makes of it in one transaction, so that a replacement
   * queued meanwhile (another tab, a double tap) is never overwritten or deleted by mistake.
   */
  update(key: string, change: (current: OutboxItem | undefined) => OutboxChange): Promise<OutboxChange>;
}

/** What a send attempt came to: an HTTP status, or 0 for a network failure. */
export type SendOutcome = { status: number; code?: string };

/** The key of a stop's update. */
export function outboxKey(planId: string, reportId: string): string {
  return `${planId}:${reportId}`;
}

/** Wait before retry number `attempts` (1 s, 2 s, 4 s… capped at 8 s: crews come back online often). */
export function backoffMs(attempts: number): number {
  return Math.min(8_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/** Network failures, timeouts, rate limits and 5xx are worth retrying; other 4xx are not. */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Side effects of the outbox, passed in so that tests fake them. */
export interface OutboxDeps {
  store: OutboxStore;
  send: (item: OutboxItem) => Promise<SendOutcome>;
  now: () => number;
}

/**
 * Queues an update, replacing any unsent one of the same stop. An unsent after-photo stays
 * with the stop when the new update brings none (the crew changed the outcome, not the photo).
 */
export async function enqueue(
  deps: OutboxDeps,
  planId: string,
  reportId: string,
  body: StopUpdateRequest,
  photo?: Blob,
): Promise<OutboxItem> {
  const key = outboxKey(planId, reportId);
  const now = deps.now();
  const item = await deps.store.update(key, (previous) => {
    const kept = photo ?? previous?.photo;
    return {
      key,
      planId,
      reportId,
      body,
      ...(kept ? { photo: kept } : {}),
      version: (previous?.version ?? 0) + 1,
      attempts: 0,
      nextAt: now,
    };
  });
  return item!;
}

/**
 * Sends every item that is due, one after another. An item leaves the outbox only after a 2xx;
 * a retryable failure pushes it back with backoff; a refusal marks it rejected. Returns the
 * epoch milliseconds of the next retry, or undefined when nothing is left to retry.
 */
export async function flush(deps: OutboxDeps): Promise<number | undefined> {
  const items = await deps.store.all();
  let next: number | undefined;
  for (const item of items) {
    if (item.rejected) continue;
    if (item.nextAt > deps.now()) {
      next = Math.min(next ?? Infinity, item.nextAt);
      continue;
    }
    let outcome: SendOutcome;
    try {
      outcome = await deps.send(item);
    } catch {
      outcome = { status: 0 };
    }
    let replaced = false;
    const now = deps.now();
    const nextAt = now + backoffMs(item.attempts + 1);
    await deps.store.update(item.key, (current) => {
      if (!current || current.version !== item.version) {
        // Replaced while in flight: the newer version goes out on the next pass.
        replaced = true;
        return undefined;
      }
      if (outcome.status >= 200 && outcome.status < 300) return null;
      if (isRetryable(outcome.status)) return { ...current, attempts: current.attempts + 1, nextAt };
      return { ...current, rejected: outcome.code ?? String(outcome.status) };
    });
    if (replaced) next = now;
    else if (isRetryable(outcome.status)) next = Math.min(next ?? Infinity, nextAt);
  }
  return next;
}

/** A store in memory (tests, and browsers without IndexedDB). */
export function memoryStore(): OutboxStore {
  const items = new Map<string, OutboxItem>();
  return {
    get: (key) => Promise.resolve(items.get(key)),
    put: (item) => {
      items.set(item.key, item);
      return Promise.resolve();
    },
    delete: (key) => {
      items.delete(key);
      return Promise.resolve();
    },
    all: () => Promise.resolve([...items.values()]),
    update: (key, change) => {
      const out = change(items.get(key));
      if (out === null) items.delete(key);
      else if (out) items.set(key, out);
      return Promise.resolve(out);
    },
  };
}
