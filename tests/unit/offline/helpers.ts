import type { LocalReport } from '../../../client/src/offline/db';

let counter = 0;

/** A queued report as the capture screen builds it (Saint-Nolff, a pothole). */
export function localReport(overrides: Partial<LocalReport> = {}): LocalReport {
  counter++;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    createdAt: Date.UTC(2025, 0, 6, 8, 0, counter),
    fields: {
      category: 'pothole',
      lat: 47.705,
      lon: -2.651,
      accuracy: 8,
      locationSource: 'gps',
      capturedAt: '2025-01-06T08:00:00.000Z',
      description: 'Trou profond',
    },
    category: { code: 'pothole', labelFr: 'Nid-de-poule', labelEn: 'Pothole', icon: 'pothole' },
    commune: { id: 1, name: 'Saint-Nolff' },
    photoCount: 1,
    thumb: null,
    ...overrides,
  };
}

/** A fake JPEG blob of a given size. */
export function jpeg(bytes = 1024, fill = 0xab): Blob {
  const data = new Uint8Array(bytes).fill(fill);
  data.set([0xff, 0xd8, 0xff], 0);
  return new Blob([data], { type: 'image/jpeg' });
}

/** A unique database name per test (fake-indexeddb is shared by the whole file). */
export function dbName(): string {
  return `vigie-test-${Math.random().toString(36).slice(2)}`;
}
