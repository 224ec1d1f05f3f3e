import { describe, expect, it } from 'vitest';
import type { CategoriesRecord } from '../../../client/src/offline/db';
import { inBbox, pickOfflineCategories } from '../../../client/src/offline/reference';
import type { CommuneView } from '../../../server/src/contract/communes';

const cat = (code: string) => ({
  code,
  labelFr: code,
  labelEn: code,
  icon: code,
  workType: 'asphalt',
  defaultPriority: 'normal' as const,
});

// Saint-Nolff and Vannes next to it (boxes from their real outlines, rounded).
const SAINT_NOLFF: CommuneView = {
  id: 1,
  slug: 'saint-nolff',
  name: 'Saint-Nolff',
  inseeCode: '56231',
  centroid: { lat: 47.705, lon: -2.651 },
  bbox: [-2.6948, 47.6824, -2.6082, 47.7286],
};
const VANNES: CommuneView = {
  id: 2,
  slug: 'vannes',
  name: 'Vannes',
  inseeCode: '56260',
  centroid: { lat: 47.658, lon: -2.76 },
  bbox: [-2.81, 47.62, -2.7, 47.69],
};
const cached: CategoriesRecord[] = [
  {
    communeId: 1,
    commune: { id: 1, slug: 'saint-nolff', name: 'Saint-Nolff' },
    categories: [cat('pothole'), cat('sign')],
    fetchedAt: 1,
  },
  {
    communeId: 2,
    commune: { id: 2, slug: 'vannes', name: 'Vannes' },
    categories: [cat('pothole'), cat('tram_rail')],
    fetchedAt: 2,
  },
];

describe('offline categories', () => {
  it('uses the cached commune whose box contains the point', () => {
    expect(inBbox({ lat: 47.705, lon: -2.651 }, SAINT_NOLFF.bbox)).toBe(true);
    expect(inBbox({ lat: 47.705, lon: -2.651 }, VANNES.bbox)).toBe(false);
    const r = pickOfflineCategories({ lat: 47.705, lon: -2.651 }, cached, [SAINT_NOLFF, VANNES], 2);
    expect(r).toMatchObject({ kind: 'ok', source: 'cache', commune: { name: 'Saint-Nolff' } });
  });

  it('falls back to the last commune used when the point is in no known box (or unknown yet)', () => {
    expect(pickOfflineCategories({ lat: 48.1, lon: -1.68 }, cached, [SAINT_NOLFF, VANNES], 2)).toMatchObject({
      commune: { name: 'Vannes' },
    });
    expect(pickOfflineCategories(null, cached, [], 1)).toMatchObject({ commune: { name: 'Saint-Nolff' } });
  });

  it('offers every cached category, without duplicates, when nothing else says which commune', () => {
    const r = pickOfflineCategories(null, cached, [], undefined);
    expect(r.kind === 'ok' && r.categories.map((c) => c.code).sort()).toEqual([
      'pothole',
      'sign',
      'tram_rail',
    ]);
  });

  it('says "unavailable" when nothing was ever cached', () => {
    expect(pickOfflineCategories({ lat: 47.705, lon: -2.651 }, [], [SAINT_NOLFF], 1)).toEqual({
      kind: 'unavailable',
    });
  });
});
