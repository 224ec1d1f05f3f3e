import type { LocalReport, OutboxRecord, SentRecord, VigieDb } from './db';
import { newEntry, type SyncEntry } from './outbox.machine';

/** A queued report with its photos, ready to upload. */
export interface QueuedReport {
  record: OutboxRecord;
  photos: Blob[];
}

/** The outbox's storage: every write that matters happens in one IndexedDB transaction. */
export class OutboxStore {
  constructor(private readonly db: VigieDb) {}

  /**
   * Saves a report and all its photos atomically: either everything is on the device, or
   * nothing is (and the person is told). Only after this resolves may the UI say "saved".
   */
  async enqueue(report: LocalReport, photos: readonly Blob[]): Promise<SyncEntry> {
    const entry = newEntry(report.id, report.createdAt);
    await this.db.transaction('rw', this.db.outbox, this.db.photos, async () => {
      await this.db.outbox.add({ ...report, ...entry, photoCount: photos.length });
      await this.db.photos.bulkAdd(photos.map((blob, i) => ({ reportId: report.id, n: i + 1, blob })));
    });
    return entry;
  }

  /** Sync bookkeeping of every queued entry, oldest first. */
  async listSync(): Promise<SyncEntry[]> {
    const rows = await this.db.outbox.orderBy('createdAt').toArray();
    return rows.map(toSyncEntry);
  }

  /** Queued reports for display (without the photo blobs), oldest first. */
  listQueued(): Promise<OutboxRecord[]> {
    return this.db.outbox.orderBy('createdAt').toArray();
  }

  /** Reports the server accepted, newest first. */
  async listSent(): Promise<SentRecord[]> {
    return (await this.db.sent.orderBy('sentAt').toArray()).reverse();
  }

  /** Persists an entry's sync bookkeeping; a no-op if it has left the outbox meanwhile. */
  async saveSync(entry: SyncEntry): Promise<void> {
    await this.db.outbox.update(entry.id, {
      state: entry.state,
      attempts: entry.attempts,
      lastAttemptAt: entry.lastAttemptAt,
      lastError: entry.lastError,
    });
  }

  /** A queued report and its photos, or undefined if it is no longer queued. */
  async load(id: string): Promise<QueuedReport | undefined> {
    return this.db.transaction('r', this.db.outbox, this.db.photos, async () => {
      const record = await this.db.outbox.get(id);
      if (!record) return undefined;
      const photos = await this.db.photos.where('reportId').equals(id).sortBy('n');
      return { record, photos: photos.map((p) => p.blob) };
    });
  }

  /** One photo of a queued report, or undefined. */
  async photo(id: string, n: number): Promise<Blob | undefined> {
    return (await this.db.photos.get([id, n]))?.blob;
  }

  /**
   * The server has the report (2xx): move it to the local history and free the photo blobs,
   * in one transaction. Idempotent: a second call (another tab, the service worker) does nothing.
   */
  async markSent(id: string, at: number): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.photos, this.db.sent, async () => {
      const record = await this.db.outbox.get(id);
      if (!record) return;
      const { state: _s, attempts: _a, lastAttemptAt: _l, lastError: _e, ...report } = record;
      await this.db.sent.put({ ...report, sentAt: at });
      await this.db.photos.where('reportId').equals(id).delete();
      await this.db.outbox.delete(id);
    });
  }

  /** Deletes a queued report and its photos: only ever on the person's explicit request. */
  async remove(id: string): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.photos, async () => {
      await this.db.photos.where('reportId').equals(id).delete();
      await this.db.outbox.delete(id);
    });
  }

  /**
   * After a 409 (the id is taken by a different report), queues the same report under a new
   * id, in one transaction, and returns the new entry.
   */
  async requeueUnderNewId(id: string, newId: string): Promise<SyncEntry | undefined> {
    return this.db.transaction('rw', this.db.outbox, this.db.photos, async () => {
      const record = await this.db.outbox.get(id);
      if (!record) return undefined;
      const photos = await this.db.photos.where('reportId').equals(id).sortBy('n');
      const entry = newEntry(newId, record.createdAt);
      await this.db.outbox.add({ ...record, ...entry, id: newId });
      await this.db.photos.bulkAdd(photos.map((p) => ({ reportId: newId, n: p.n, blob: p.blob })));
      await this.db.photos.where('reportId').equals(id).delete();
      await this.db.outbox.delete(id);
      return entry;
    });
  }
}

function toSyncEntry(r: OutboxRecord): SyncEntry {
  return {
    id: r.id,
    createdAt: r.createdAt,
    state: r.state,
    attempts: r.attempts,
    lastAttemptAt: r.lastAttemptAt,
    lastError: r.lastError,
  };
}
