import { describe, expect, it } from 'vitest';
import {
  redactEventData,
  retentionCutoffs,
  stepsDue,
  streetOnly,
  subtractMonths,
} from '../../../server/src/retention/retention.rules';

const DEFAULTS = { contactMonths: 12, locationYears: 5 };
/** The fake clock of these tests: a run on 15 March 2027 at 03:00 UTC. */
const NOW = new Date('2027-03-15T03:00:00Z');

describe('subtractMonths', () => {
  it('moves back calendar months in UTC, keeping the time of day', () => {
    expect(subtractMonths(NOW, 12).toISOString()).toBe('2026-03-15T03:00:00.000Z');
    expect(subtractMonths(NOW, 60).toISOString()).toBe('2022-03-15T03:00:00.000Z');
    expect(subtractMonths(NOW, 3).toISOString()).toBe('2026-12-15T03:00:00.000Z');
  });

  it('clamps the day to the shorter month', () => {
    expect(subtractMonths(new Date('2027-03-31T10:00:00Z'), 1).toISOString()).toBe(
      '2027-02-28T10:00:00.000Z',
    );
    expect(subtractMonths(new Date('2028-03-31T10:00:00Z'), 1).toISOString()).toBe(
      '2028-02-29T10:00:00.000Z',
    );
    expect(subtractMonths(new Date('2029-02-28T10:00:00Z'), 12).toISOString()).toBe(
      '2028-02-28T10:00:00.000Z',
    );
  });
});

describe('retentionCutoffs', () => {
  it('puts the contact cutoff 12 months and the location cutoff 5 years before the run by default', () => {
    expect(retentionCutoffs(DEFAULTS, NOW)).toEqual({
      contactBefore: new Date('2026-03-15T03:00:00Z'),
      locationBefore: new Date('2022-03-15T03:00:00Z'),
    });
  });

  it("follows the commune's settings", () => {
    const c = retentionCutoffs({ contactMonths: 1, locationYears: 1 }, NOW);
    expect(c.contactBefore.toISOString()).toBe('2027-02-15T03:00:00.000Z');
    expect(c.locationBefore.toISOString()).toBe('2026-03-15T03:00:00.000Z');
  });
});

describe('stepsDue', () => {
  const at = (iso: string) => new Date(iso);

  it('leaves open reports alone, however old', () => {
    expect(stepsDue(null, DEFAULTS, NOW)).toEqual([]);
  });

  it('leaves a report closed less than 12 months ago alone', () => {
    expect(stepsDue(at('2026-03-15T03:00:00.001Z'), DEFAULTS, NOW)).toEqual([]);
    expect(stepsDue(at('2027-03-14T00:00:00Z'), DEFAULTS, NOW)).toEqual([]);
  });

  it('erases the contact data of a report closed 12 months ago to the millisecond, or longer', () => {
    expect(stepsDue(at('2026-03-15T03:00:00Z'), DEFAULTS, NOW)).toEqual(['contact']);
    expect(stepsDue(at('2023-01-01T00:00:00Z'), DEFAULTS, NOW)).toEqual(['contact']);
  });

  it('also anonymises the location and texts of a report closed 5 years ago or more', () => {
    expect(stepsDue(at('2022-03-15T03:00:00Z'), DEFAULTS, NOW)).toEqual(['contact', 'location']);
    expect(stepsDue(at('2022-03-15T03:00:01Z'), DEFAULTS, NOW)).toEqual(['contact']);
    expect(stepsDue(at('2010-06-01T00:00:00Z'), DEFAULTS, NOW)).toEqual(['contact', 'location']);
  });

  it('moves with the clock: the same report becomes due a day later', () => {
    const closed = at('2026-03-16T00:00:00Z');
    expect(stepsDue(closed, DEFAULTS, NOW)).toEqual([]);
    expect(stepsDue(closed, DEFAULTS, new Date('2027-03-16T03:00:00Z'))).toEqual(['contact']);
  });

  it('with equal periods, applies both steps at once', () => {
    expect(stepsDue(at('2026-03-01T00:00:00Z'), { contactMonths: 12, locationYears: 1 }, NOW)).toEqual([
      'contact',
      'location',
    ]);
  });
});

describe('redactEventData', () => {
  it('keeps facts without personal data and removes notes, texts, reasons and old locations', () => {
    expect(
      redactEventData({
        note: 'Mme Martin au 06 12 34 56 78',
        reason: 'Terrain de M. Durand',
        text: 'Passage prévu',
        from: { lat: 47.7, lon: -2.65 },
        duplicateOf: 'a-report',
        planId: 'a-plan',
        category: 'pothole',
      }),
    ).toEqual({ duplicateOf: 'a-report', planId: 'a-plan', category: 'pothole', redacted: true });
  });

  it('leaves data that holds nothing to remove unchanged, and is idempotent', () => {
    const clean = { category: 'pothole', photos: 2 };
    expect(redactEventData(clean)).toBe(clean);
    const once = redactEventData({ note: 'x', planId: 'p' });
    expect(redactEventData(once)).toEqual(once);
  });
});

describe('streetOnly', () => {
  it('drops the house number and its suffix, keeps streets and lieux-dits', () => {
    expect(streetOnly("12 Rue de l'Église")).toBe("Rue de l'Église");
    expect(streetOnly('12 bis Rue de la Mairie')).toBe('Rue de la Mairie');
    expect(streetOnly('3 B Route de Vannes')).toBe('Route de Vannes');
    expect(streetOnly('7ter Impasse des Lilas')).toBe('Impasse des Lilas');
    expect(streetOnly('Kerbois')).toBe('Kerbois');
    expect(streetOnly('Rue du 19 Mars 1962')).toBe('Rue du 19 Mars 1962');
    expect(streetOnly(streetOnly('12 Rue Nationale'))).toBe('Rue Nationale');
  });
});
