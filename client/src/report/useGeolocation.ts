import { useEffect, useState } from 'react';
import { isBetterFix, type Fix } from './location';

/** What the device's location service has said so far. */
export interface GeoState {
  /** The best fix so far (most accurate), null before the first one. */
  best: Fix | null;
  /** `denied`: permission refused; `unavailable`: no API or no fix possible; `searching`: waiting. */
  status: 'searching' | 'ok' | 'denied' | 'unavailable';
}

/**
 * Watches the position from the moment the capture screen opens (a fix takes seconds; the
 * person is busy taking the photo meanwhile) and keeps the best one.
 */
export function useGeolocation(enabled = true): GeoState {
  const [state, setState] = useState<GeoState>(() => ({
    best: null,
    status: typeof navigator !== 'undefined' && 'geolocation' in navigator ? 'searching' : 'unavailable',
  }));

  useEffect(() => {
    if (!enabled || !('geolocation' in navigator)) return;
    const id = navigator.geolocation.watchPosition(
      (pos) => {
        const fix: Fix = {
          lat: pos.coords.latitude,
          lon: pos.coords.longitude,
          accuracy: Math.round(pos.coords.accuracy * 10) / 10,
          at: pos.timestamp || Date.now(),
        };
        setState((s) => (isBetterFix(s.best, fix) ? { best: fix, status: 'ok' } : s));
      },
      (err) => {
        setState((s) =>
          s.best
            ? s
            : {
                best: null,
                status:
                  err.code === err.PERMISSION_DENIED
                    ? 'denied'
                    : err.code === err.TIMEOUT
                      ? 'searching'
                      : 'unavailable',
              },
        );
      },
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);

  return state;
}
