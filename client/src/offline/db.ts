import Dexie, { type EntityTable, type Table } from 'dexie';
import type { CategoryView, CommuneView } from '../../../server/src/contract/communes';
import type { LocationSource } from '../../../server/src/contract/common';
import type { SyncEntry } from './outbox.machine';

/** The text fields of a report, exactly as they will be sent (so a retry is byte-identical). */
export interface ReportFields {
  category: string;
  lat: number;
  lon: number;
  accuracy: number;
  locationSource: LocationSource;
  /** ISO 8601 with offset, fixed at save time. */
  capturedAt: string;
  description?: string;
  contactEmail?: string;
  /** The app's language, sent with an email only: notification emails are written in it. */
  locale?: 'fr' | 'en';
}

/** The category as it was shown when the report was saved (labels for offline display). */
export interface CategorySnapshot {
  code: string;
  labelFr: string;
  labelEn: string;
  icon: string;
}

/** What a report looked like locally: shared by queued and sent entries. */
export interface LocalReport {
  id: string;
  createdAt: number;
  fields: ReportFields;
  category: CategorySnapshot;
  commune: { id: number; name: string } | null;
  photoCount: number;
  /** A small JPEG for lists, kept after the full photos leave the device. */
  thumb: Blob | null;
}

/** A report waiting in the outbox: the report plus its sync bookkeeping. */
export type OutboxRecord = LocalReport & SyncEntry;

/** One photo of a queued report, stored apart so lists never load the blobs. */
export interface PhotoRecord {
  reportId: string;
  /** 1-based position. */
  n: number;
  blob: Blob;
}

/** A report the server accepted (the local "sent" history). */
export interface SentRecord extends LocalReport {
  sentAt: number;
}

/** Categories of one commune, cached for offline capture. */
export interface CategoriesRecord {
  communeId: number;
  commune: { id: number; slug: string; name: string };
  categories: CategoryView[];
  fetchedAt: number;
}

/** Small values: the reporter token, the tile config, the communes list, the last commune used. */
export interface KvRecord {
  key: string;
  value: unknown;
}

/** Known keys of the `kv` table. */
export interface KvValues {
  reporterToken: string;
  tileConfig: { tileUrl: string; attribution?: string };
  communes: CommuneView[];
  lastCommuneId: number;
  persistRequested: boolean;
}

/** The device's database. */
export type VigieDb = Dexie & {
  outbox: EntityTable<OutboxRecord, 'id'>;
  photos: Table<PhotoRecord, [string, number]>;
  sent: EntityTable<SentRecord, 'id'>;
  categories: EntityTable<CategoriesRecord, 'communeId'>;
  kv: EntityTable<KvRecord, 'key'>;
};

/** Opens (and creates or upgrades) the device database. Tests pass a unique name. */
export function openDb(name = 'vigie'): VigieDb {
  const db = new Dexie(name) as VigieDb;
  db.version(1).stores({
    outbox: 'id, createdAt',
    photos: '[reportId+n], reportId',
    sent: 'id, sentAt',
    categories: 'communeId, fetchedAt',
    kv: 'key',
  });
  return db;
}

/** Reads a small value. */
export async function kvGet<K extends keyof KvValues>(db: VigieDb, key: K): Promise<KvValues[K] | undefined> {
  const row = await db.kv.get(key);
  return row?.value as KvValues[K] | undefined;
}

/** Writes a small value. */
export async function kvSet<K extends keyof KvValues>(
  db: VigieDb,
  key: K,
  value: KvValues[K],
): Promise<void> {
  await db.kv.put({ key, value });
}
