import type { ReportStatus } from '../../../server/src/contract/common';
import type { PublicReport, ReportEventView } from '../../../server/src/contract/reports';
import type { OutboxRecord, SentRecord } from '../offline/db';
import type { OutboxState, SyncError } from '../offline/outbox.machine';

/** Where a report stands on this device. */
export type LocalState = 'waiting' | 'sending' | 'attention' | 'conflict' | 'sent';

/** One line of "My reports". */
export interface MineItem {
  id: string;
  category: { code: string; labelFr: string; labelEn: string; icon: string };
  /** When it was saved on the device, or received by the server (ms). */
  at: number;
  /** The local state; null for a report only the server knows (e.g. after clearing the app's data). */
  local: LocalState | null;
  /** The status from the server, when it answered. */
  status: ReportStatus | null;
  commune: string | null;
  thumb: Blob | null;
  attempts: number;
  lastError: SyncError | null;
}

/**
 * Merges what the device knows (queued and sent reports, the live outbox state) with what the
 * server says (`/api/reports/mine`, null when offline), newest first. Pure.
 */
export function mergeMine(
  queued: readonly OutboxRecord[],
  sent: readonly SentRecord[],
  server: readonly PublicReport[] | null,
  outbox: Pick<OutboxState, 'entries' | 'inFlight'>,
): MineItem[] {
  const items = new Map<string, MineItem>();
  const live = new Map(outbox.entries.map((e) => [e.id, e]));
  for (const s of sent) {
    items.set(s.id, {
      id: s.id,
      category: s.category,
      at: s.createdAt,
      local: 'sent',
      status: null,
      commune: s.commune?.name ?? null,
      thumb: s.thumb,
      attempts: 0,
      lastError: null,
    });
  }
  for (const q of queued) {
    const entry = live.get(q.id) ?? q;
    const local: LocalState =
      outbox.inFlight === q.id ? 'sending' : entry.state === 'waiting' ? 'waiting' : entry.state;
    items.set(q.id, {
      id: q.id,
      category: q.category,
      at: q.createdAt,
      local,
      status: null,
      commune: q.commune?.name ?? null,
      thumb: q.thumb,
      attempts: entry.attempts,
      lastError: entry.lastError,
    });
  }
  for (const r of server ?? []) {
    const known = items.get(r.id);
    if (known) {
      // The server has it: whatever the local bookkeeping says, it is sent.
      items.set(r.id, { ...known, status: r.status, local: 'sent', commune: r.commune.name });
    } else {
      items.set(r.id, {
        id: r.id,
        category: { ...r.category, icon: r.category.code },
        at: Date.parse(r.receivedAt),
        local: null,
        status: r.status,
        commune: r.commune.name,
        thumb: null,
        attempts: 0,
        lastError: null,
      });
    }
  }
  return [...items.values()].sort((a, b) => b.at - a.at);
}

/** How one entry of a report's public history reads in "my reports". */
export interface HistoryLine {
  kind: 'created' | 'status' | 'update' | 'other';
  status: ReportStatus | null;
  /** The town hall's message (public updates). */
  text: string | null;
  /** Why it was rejected or is not fixable. */
  reason: string | null;
}

/** Turns a public history entry into what the resident reads. Pure. */
export function historyLine(h: ReportEventView): HistoryLine {
  const base = { status: h.toStatus, text: null, reason: h.reason };
  if (h.action === 'created') return { ...base, kind: 'created', reason: null };
  if (h.action === 'public_update') return { kind: 'update', status: null, text: h.text, reason: null };
  if (h.toStatus && h.toStatus !== h.fromStatus) return { ...base, kind: 'status' };
  return { ...base, kind: 'other' };
}
