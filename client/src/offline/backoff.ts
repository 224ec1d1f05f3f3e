/** First retry delay after a network error or a 5xx. */
export const BACKOFF_BASE_MS = 1_000;
/** Longest wait between two attempts: a phone in a field retries at least every 5 minutes. */
export const BACKOFF_MAX_MS = 5 * 60_000;
/** Spread of the jitter around the nominal delay (±20 %), so phones that lost the same mast don't retry in step. */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before the next attempt after `failures` consecutive transient failures (1 s, 2 s,
 * 4 s, … capped at 5 min), with ±20 % jitter. `random` is injected (a number in [0, 1)) so
 * tests are deterministic. Never returns more than the cap.
 */
export function backoffDelay(failures: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const nominal = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const factor = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * clamp01(random());
  return Math.round(Math.min(BACKOFF_MAX_MS, nominal * factor));
}

/** Honours a server's Retry-After (seconds) within the backoff bounds. */
export function retryAfterDelay(retryAfterSeconds: number | undefined, fallback: number): number {
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) {
    return fallback;
  }
  return Math.min(BACKOFF_MAX_MS, Math.max(fallback, retryAfterSeconds * 1000));
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0.5;
}
