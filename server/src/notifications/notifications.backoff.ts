/**
 * When a notification email that could not be sent is tried again: exponential backoff from
 * one minute, doubling, capped at an hour, with ±20 % jitter so that the emails queued during
 * an SMTP outage do not all come back in the same second. Pure: `random` is passed in.
 */

/** First retry delay, milliseconds. */
export const BACKOFF_BASE_MS = 60_000;
/** Longest delay between two attempts, milliseconds: an outage of a day costs at most an hour of delay. */
export const BACKOFF_CAP_MS = 60 * 60_000;

/**
 * The delay before the next attempt, after `attempts` failed ones (1 after the first failure).
 * `random` returns a number in [0, 1) (Math.random in production).
 */
export function retryDelayMs(attempts: number, random: () => number): number {
  const n = Math.max(1, Math.floor(attempts));
  // 2^(n-1) grows past the cap at n = 7; keep the exponent small so it never overflows.
  const raw = BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 20);
  const capped = Math.min(BACKOFF_CAP_MS, raw);
  const jitter = 0.8 + 0.4 * Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * jitter);
}

/**
 * Whether an SMTP failure is permanent: the server refused the message or the recipient with a
 * 5xx reply (no such mailbox, policy). Anything else — connection refused, timeout, 4xx
 * (greylisting, mailbox full) — is tried again later.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** An error message fit to keep: email addresses removed, one line, at most 500 characters. */
export function describeSmtpError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown } | null;
  const parts = [
    typeof e?.code === 'string' ? e.code : null,
    typeof e?.responseCode === 'number' ? String(e.responseCode) : null,
    typeof e?.message === 'string' ? e.message : String(err),
  ].filter(Boolean);
  return parts
    .join(' ')
    .replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '<address>')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
