import { describe, expect, it } from 'vitest';
import { OsrmError, parseTable, planTableRequests, tablePath } from '../../../server/src/plans/osrm';

describe('planTableRequests', () => {
  it('asks one table when the locations fit in one request', () => {
    expect(planTableRequests(5, 100)).toEqual([{ locations: [0, 1, 2, 3, 4] }]);
  });

  it.each([
    [13, 8],
    [250, 100],
    [101, 100],
    [7, 2],
  ])('covers every pair of %i locations with requests of at most %i', (n, max) => {
    const blocks = planTableRequests(n, max);
    const seen = new Set<number>();
    for (const b of blocks) {
      expect(b.locations.length).toBeLessThanOrEqual(max);
      for (const i of b.locations) for (const j of b.locations) seen.add(i * n + j);
    }
    expect(seen.size).toBe(n * n);
    const k = Math.ceil(n / Math.floor(max / 2));
    expect(blocks).toHaveLength((k * (k - 1)) / 2);
  });
});

describe('tablePath', () => {
  it("writes OSRM's lon,lat;lon,lat path with the duration and distance annotations", () => {
    const points = [
      { lat: 47.7041234, lon: -2.6573219 },
      { lat: 47.71, lon: -2.64 },
    ];
    expect(tablePath('driving', points, { locations: [1, 0] })).toBe(
      '/table/v1/driving/-2.640000,47.710000;-2.657322,47.704123?annotations=duration,distance',
    );
  });
});

describe('parseTable', () => {
  const ok = {
    code: 'Ok',
    durations: [
      [0, 120],
      [90, 0],
    ],
    distances: [
      [0, 1500],
      [1200, 0],
    ],
  };

  it('turns seconds into minutes, keeps metres, and null (no route) into unreachable', () => {
    const t = parseTable(
      {
        ...ok,
        durations: [
          [0, 120],
          [null, 0],
        ],
      },
      2,
      2,
    );
    expect([...t.minutes]).toEqual([0, 2, Infinity, 0]);
    expect([...t.metres!]).toEqual([0, 1500, 1200, 0]);
    expect(parseTable({ code: 'Ok', durations: ok.durations }, 2, 2).metres).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['an error code', { code: 'NoSegment', message: 'Could not find a matching segment' }, 'osrm_error'],
    ['no code', { durations: ok.durations }, 'osrm_error'],
    ['not an object', 'Ok', 'malformed'],
    ['no durations', { code: 'Ok' }, 'malformed'],
    ['a missing row', { ...ok, durations: [[0, 120]] }, 'malformed'],
    ['a short row', { ...ok, durations: [[0], [90, 0]] }, 'malformed'],
    [
      'a negative duration',
      {
        ...ok,
        durations: [
          [0, -1],
          [90, 0],
        ],
      },
      'malformed',
    ],
    [
      'a string',
      {
        ...ok,
        durations: [
          [0, '120'],
          [90, 0],
        ],
      },
      'malformed',
    ],
    ['a bad distance', { ...ok, distances: [[0, 1500], [1200]] }, 'malformed'],
  ])('refuses %s', (_what, body, reason) => {
    expect(() => parseTable(body, 2, 2)).toThrow(OsrmError);
    try {
      parseTable(body, 2, 2);
    } catch (err) {
      expect((err as OsrmError).reason).toBe(reason);
    }
  });
});
