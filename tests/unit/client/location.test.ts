import { describe, expect, it } from 'vitest';
import {
  confidence,
  distanceMetres,
  formatCoordinates,
  isBetterFix,
  manualAccuracy,
  metresPerPixel,
  parseCoordinates,
  placeAccepted,
  type Fix,
} from '../../../client/src/report/location';

// The bourg of Saint-Nolff (Morbihan) and the town hall of Vannes, 9.5 km apart.
const BOURG = { lat: 47.7046, lon: -2.6514 };
const VANNES = { lat: 47.6559, lon: -2.7603 };
const fix = (accuracy: number, at = 0, p = BOURG): Fix => ({ ...p, accuracy, at });

describe('best GPS fix', () => {
  it('keeps the most accurate fix of a watchPosition stream', () => {
    let best: Fix | null = null;
    for (const f of [fix(120, 0), fix(35, 1000), fix(60, 2000), fix(9, 3000), fix(14, 4000)]) {
      if (isBetterFix(best, f)) best = f;
    }
    expect(best?.accuracy).toBe(9);
  });

  it('takes a newer fix of equal accuracy, and a much newer one that is not much worse', () => {
    expect(isBetterFix(fix(10, 0), fix(10, 5))).toBe(true);
    expect(isBetterFix(fix(10, 0), fix(18, 60_000))).toBe(false);
    expect(isBetterFix(fix(10, 0), fix(18, 180_000))).toBe(true);
    expect(isBetterFix(fix(10, 0), fix(80, 180_000))).toBe(false);
  });

  it('ignores broken fixes', () => {
    expect(isBetterFix(null, { lat: Number.NaN, lon: 0, accuracy: 5, at: 0 })).toBe(false);
    expect(isBetterFix(null, { ...BOURG, accuracy: -1, at: 0 })).toBe(false);
  });
});

describe('accuracy thresholds', () => {
  it('auto-accepts at 20 m or better, warns above 100 m', () => {
    expect(confidence(4)).toBe('good');
    expect(confidence(20)).toBe('good');
    expect(confidence(20.5)).toBe('fair');
    expect(confidence(100)).toBe('fair');
    expect(confidence(101)).toBe('poor');
  });

  it('needs a confirmation only for a poor GPS fix', () => {
    expect(placeAccepted(null, true)).toBe(false);
    expect(placeAccepted({ ...BOURG, accuracy: 60, source: 'gps' }, false)).toBe(true);
    expect(placeAccepted({ ...BOURG, accuracy: 450, source: 'gps' }, false)).toBe(false);
    expect(placeAccepted({ ...BOURG, accuracy: 450, source: 'gps' }, true)).toBe(true);
    expect(placeAccepted({ ...BOURG, accuracy: 450, source: 'manual' }, false)).toBe(true);
    expect(placeAccepted({ ...BOURG, accuracy: 30, source: 'exif' }, false)).toBe(true);
  });
});

describe('map geometry', () => {
  it('measures about 9.9 km from the bourg of Saint-Nolff to Vannes', () => {
    const d = distanceMetres(BOURG, VANNES);
    expect(d).toBeGreaterThan(9_500);
    expect(d).toBeLessThan(10_200);
    expect(distanceMetres(BOURG, BOURG)).toBe(0);
  });

  it('gives Web Mercator metres per pixel (about 0.8 m at zoom 17 in Brittany)', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(156_543.03, 1);
    const m = metresPerPixel(47.7, 17);
    expect(m).toBeGreaterThan(0.78);
    expect(m).toBeLessThan(0.83);
  });

  it('records a hand-placed pin with the accuracy of a fingertip at the current zoom', () => {
    expect(manualAccuracy(47.7, 18)).toBe(10);
    expect(manualAccuracy(47.7, 13)).toBe(309);
    expect(manualAccuracy(47.7, 22)).toBe(3);
  });
});

describe('typed coordinates', () => {
  it('accepts dots and French decimal commas, and refuses nonsense', () => {
    expect(parseCoordinates('47.70512', '-2.65104')).toEqual({ lat: 47.70512, lon: -2.65104 });
    expect(parseCoordinates(' 47,705 ', '-2,651')).toEqual({ lat: 47.705, lon: -2.651 });
    expect(parseCoordinates('91', '0')).toBeNull();
    expect(parseCoordinates('47.7', '-181')).toBeNull();
    expect(parseCoordinates('', '-2.6')).toBeNull();
    expect(parseCoordinates('47°42′', '-2.6')).toBeNull();
    expect(parseCoordinates('1e3', '2')).toBeNull();
  });

  it('shows 5 decimals (about a metre)', () => {
    expect(formatCoordinates({ lat: 47.7045678, lon: -2.651 })).toBe('47.70457, -2.65100');
  });
});
