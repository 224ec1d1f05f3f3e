import { describe, expect, it } from 'vitest';
import type { OutboxRecord, SentRecord } from '../../../client/src/offline/db';
import { newEntry } from '../../../client/src/offline/outbox.machine';
import { historyLine, mergeMine } from '../../../client/src/mine/mine';
import type { PublicReport, ReportEventView } from '../../../server/src/contract/reports';

const base = {
  fields: {
    category: 'pothole',
    lat: 47.705,
    lon: -2.651,
    accuracy: 8,
    locationSource: 'gps' as const,
    capturedAt: '2025-01-06T08:00:00.000Z',
  },
  category: { code: 'pothole', labelFr: 'Nid-de-poule', labelEn: 'Pothole', icon: 'pothole' },
  commune: { id: 1, name: 'Saint-Nolff' },
  photoCount: 1,
  thumb: null,
};
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const queued = (n: number, at: number, over: Partial<OutboxRecord> = {}): OutboxRecord => ({
  ...base,
  ...newEntry(id(n), at),
  id: id(n),
  createdAt: at,
  ...over,
});
const sent = (n: number, at: number): SentRecord => ({
  ...base,
  id: id(n),
  createdAt: at,
  sentAt: at + 1000,
});
const server = (n: number, status: PublicReport['status'], receivedAt: string): PublicReport => ({
  id: id(n),
  commune: { id: 1, slug: 'saint-nolff', name: 'Saint-Nolff' },
  category: { code: 'pothole', labelFr: 'Nid-de-poule', labelEn: 'Pothole' },
  lat: 47.705,
  lon: -2.651,
  accuracy: 8,
  locationSource: 'gps',
  status,
  priority: 'normal',
  description: null,
  capturedAt: receivedAt,
  receivedAt,
  updatedAt: receivedAt,
  photoCount: 1,
  address: null,
  publicPhotos: [],
});

describe('My reports', () => {
  it('shows local states offline: waiting, sending, needs attention, sent — newest first', () => {
    const q1 = queued(1, 3000);
    const q2 = queued(2, 4000, { state: 'attention', lastError: { status: 422, code: 'outside_communes' } });
    const q3 = queued(3, 5000);
    const items = mergeMine([q1, q2, q3], [sent(4, 1000)], null, {
      entries: [q1, q2, q3].map((q) => ({ ...q })),
      inFlight: id(3),
    });
    expect(items.map((i) => [i.id, i.local, i.status])).toEqual([
      [id(3), 'sending', null],
      [id(2), 'attention', null],
      [id(1), 'waiting', null],
      [id(4), 'sent', null],
    ]);
    expect(items[1]!.lastError).toEqual({ status: 422, code: 'outside_communes' });
  });

  it("adds the server's status when online, and the server's reports this device no longer has locally", () => {
    const items = mergeMine(
      [],
      [sent(4, Date.parse('2025-01-06T09:00:00Z'))],
      [server(4, 'planned', '2025-01-06T09:00:01Z'), server(5, 'fixed', '2024-12-01T10:00:00Z')],
      {
        entries: [],
        inFlight: null,
      },
    );
    expect(items.map((i) => [i.id, i.local, i.status])).toEqual([
      [id(4), 'sent', 'planned'],
      [id(5), null, 'fixed'],
    ]);
  });

  it('trusts the server over a stale local "waiting" (sent by the service worker meanwhile)', () => {
    const q = queued(6, 1000);
    const items = mergeMine([q], [], [server(6, 'new', '2025-01-06T09:00:00Z')], {
      entries: [q],
      inFlight: null,
    });
    expect(items[0]).toMatchObject({ local: 'sent', status: 'new' });
  });
});

describe('historyLine', () => {
  const at = '2026-12-01T10:00:00.000Z';
  const entry = (over: Partial<ReportEventView>): ReportEventView => ({
    at,
    action: 'status_changed',
    fromStatus: 'new',
    toStatus: 'acknowledged',
    text: null,
    reason: null,
    ...over,
  });
  it('reads the town hall’s public updates with their text', () => {
    expect(
      historyLine(entry({ action: 'public_update', fromStatus: null, toStatus: null, text: 'Demain' })),
    ).toEqual({
      kind: 'update',
      status: null,
      text: 'Demain',
      reason: null,
    });
  });
  it('reads status changes with the reason of a rejection', () => {
    expect(historyLine(entry({ action: 'moderated', toStatus: 'rejected', reason: 'Voie privée' }))).toEqual({
      kind: 'status',
      status: 'rejected',
      text: null,
      reason: 'Voie privée',
    });
    expect(historyLine(entry({ action: 'created', fromStatus: null, toStatus: 'new' })).kind).toBe('created');
    expect(
      historyLine(entry({ action: 'stop_done', fromStatus: 'duplicate', toStatus: 'duplicate' })).kind,
    ).toBe('other');
  });
});
