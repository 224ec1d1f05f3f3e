import { describe, expect, it } from 'vitest';
import { buildReport, validateFields, type Draft, type DraftPhoto } from '../../../client/src/report/draft';

const blob = (n: number) => new Blob([new Uint8Array(n)], { type: 'image/jpeg' });
const photo = (over: Partial<DraftPhoto> = {}): DraftPhoto => ({
  key: Math.random().toString(36),
  status: 'ready',
  preview: null,
  processed: { blob: blob(300_000), thumb: blob(9_000), width: 2048, height: 1536 },
  metadata: { gps: null, takenAt: null },
  fromGallery: false,
  ...over,
});
const draft = (over: Partial<Draft> = {}): Draft => ({
  photos: [photo()],
  place: { lat: 47.70512345678, lon: -2.65104987654, accuracy: 7.84, source: 'gps' },
  category: {
    code: 'pothole',
    labelFr: 'Nid-de-poule',
    labelEn: 'Pothole',
    icon: 'pothole',
    workType: 'asphalt',
    defaultPriority: 'normal',
  },
  commune: { id: 1, name: 'Saint-Nolff' },
  description: '  Trou profond devant le n° 12  ',
  email: '',
  ...over,
});
const NOW = new Date('2025-01-06T08:30:00.000Z');
const ID = '3f1c1a52-6d1b-4a8e-9a53-2b8f0f5e7c11';

describe('buildReport', () => {
  it('fixes the fields once (rounded coordinates, trimmed text, capture time) so every retry is identical', async () => {
    const { report, photos } = buildReport(draft(), ID, NOW);
    expect(report.fields).toEqual({
      category: 'pothole',
      lat: 47.705123,
      lon: -2.65105,
      accuracy: 7.8,
      locationSource: 'gps',
      capturedAt: '2025-01-06T08:30:00.000Z',
      description: 'Trou profond devant le n° 12',
    });
    expect(report).toMatchObject({
      id: ID,
      createdAt: NOW.getTime(),
      photoCount: 1,
      commune: { name: 'Saint-Nolff' },
    });
    expect(report.thumb?.size).toBe(9_000);
    expect(photos.map((p) => p.size)).toEqual([300_000]);
    expect(await validateFields(report.fields)).toBeNull();
  });

  it('sends only ready photos, and dates the report from a gallery photo taken earlier', () => {
    const taken = new Date('2025-01-05T17:12:00.000Z');
    const { report, photos } = buildReport(
      draft({
        photos: [
          photo({ status: 'failed', processed: null }),
          photo({ fromGallery: true, metadata: { gps: null, takenAt: taken } }),
          photo(),
        ],
      }),
      ID,
      NOW,
    );
    expect(photos).toHaveLength(2);
    expect(report.photoCount).toBe(2);
    expect(report.fields.capturedAt).toBe(taken.toISOString());
  });

  it('records where the location came from', () => {
    const { report } = buildReport(
      draft({ place: { lat: 47.7, lon: -2.65, accuracy: 30, source: 'exif' } }),
      ID,
      NOW,
    );
    expect(report.fields).toMatchObject({ locationSource: 'exif', accuracy: 30 });
  });
});

describe('buildReport and the language of notification emails', () => {
  it('keeps the app language with an email, and only then', async () => {
    const withEmail = buildReport(draft({ email: 'ana@example.org', locale: 'en' }), ID, NOW).report.fields;
    expect(withEmail).toMatchObject({ contactEmail: 'ana@example.org', locale: 'en' });
    expect(await validateFields(withEmail)).toBeNull();
    const without = buildReport(draft({ email: '', locale: 'en' }), ID, NOW).report.fields;
    expect(without).not.toHaveProperty('locale');
  });
});

describe('validateFields (the shared contract)', () => {
  it('catches an invalid email before the report is queued', async () => {
    const { report } = buildReport(draft({ email: 'pas-une-adresse' }), ID, NOW);
    expect(await validateFields(report.fields)).toMatchObject({ field: 'contactEmail' });
    const ok = buildReport(draft({ email: ' ana@example.org ' }), ID, NOW).report.fields;
    expect(ok.contactEmail).toBe('ana@example.org');
    expect(await validateFields(ok)).toBeNull();
  });

  it('catches a description longer than the limit', async () => {
    const { report } = buildReport(draft({ description: 'x'.repeat(2001) }), ID, NOW);
    expect(await validateFields(report.fields)).toMatchObject({ field: 'description' });
  });
});
