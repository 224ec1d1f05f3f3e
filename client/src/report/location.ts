import type { LocationSource } from '../../../server/src/contract/common';

/** A GPS fix at or better than this is taken without asking (metres). */
export const AUTO_ACCEPT_METRES = 20;
/** Above this the person is warned and asked to check the pin (metres). */
export const WARN_METRES = 100;
/** Accuracy recorded for coordinates typed by hand (the person vouches for them), metres. */
export const TYPED_ACCURACY_METRES = 10;

/** A position with its accuracy radius. */
export interface Fix {
  lat: number;
  lon: number;
  /** Radius of the 68 % confidence circle, metres. */
  accuracy: number;
  /** When it was measured (ms). */
  at: number;
}

/** The report's location, with where it came from. */
export interface Place {
  lat: number;
  lon: number;
  accuracy: number;
  source: LocationSource;
}

/**
 * Keeps the best fix of a `watchPosition` stream: the most accurate one; a newer fix replaces
 * an older one of equal accuracy, and a fix more than 2 minutes newer replaces a stale one
 * when it is not much worse (the person may have walked to the defect).
 */
export function isBetterFix(best: Fix | null, candidate: Fix): boolean {
  if (!Number.isFinite(candidate.lat) || !Number.isFinite(candidate.lon) || !(candidate.accuracy >= 0))
    return false;
  if (!best) return true;
  if (candidate.accuracy <= best.accuracy) return true;
  const stale = candidate.at - best.at > 120_000;
  return stale && candidate.accuracy <= Math.max(best.accuracy * 2, AUTO_ACCEPT_METRES);
}

/** How sure a GPS-placed pin is, which decides what the screen says and whether it can be sent. */
export type Confidence = 'good' | 'fair' | 'poor';

/** Good: auto-accepted (<= 20 m); fair: usable, still improving; poor: > 100 m, to be checked. */
export function confidence(accuracy: number): Confidence {
  if (accuracy <= AUTO_ACCEPT_METRES) return 'good';
  if (accuracy <= WARN_METRES) return 'fair';
  return 'poor';
}

/**
 * Whether a place may be sent as it is. A poor GPS fix needs the person's confirmation (or a
 * move of the pin, which makes it manual); everything else is accepted.
 */
export function placeAccepted(place: Place | null, poorConfirmed: boolean): boolean {
  if (!place) return false;
  if (place.source !== 'gps') return true;
  return confidence(place.accuracy) !== 'poor' || poorConfirmed;
}

/** Metres per screen pixel at a Web Mercator zoom level and latitude. */
export function metresPerPixel(lat: number, zoom: number): number {
  return (156_543.03392 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;
}

/**
 * Accuracy of a pin placed by hand: about what a fingertip covers (24 px) at the map's zoom,
 * at least 3 m, rounded to the metre.
 */
export function manualAccuracy(lat: number, zoom: number): number {
  return Math.max(3, Math.round(metresPerPixel(lat, zoom) * 24));
}

/** Great-circle distance between two points, metres (haversine; enough for hints). */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Parses typed coordinates ("47.705", "-2,651" with a French decimal comma); null if invalid. */
export function parseCoordinates(latText: string, lonText: string): { lat: number; lon: number } | null {
  const num = (s: string) => {
    const t = s.trim().replace(',', '.');
    return /^[+-]?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : NaN;
  };
  const lat = num(latText);
  const lon = num(lonText);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null;
  return { lat, lon };
}

/** Coordinates as shown to people: 5 decimals (about a metre). */
export function formatCoordinates(p: { lat: number; lon: number }): string {
  return `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;
}

/**
 * The seam for "nearest address": there is no address table yet, so the place is described by
 * its coordinates. When an address source exists (a local table, DESIGN.md §7), resolve it here.
 */
export function describePlace(p: { lat: number; lon: number }): string {
  return formatCoordinates(p);
}
