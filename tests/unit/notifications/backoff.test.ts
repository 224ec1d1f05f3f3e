import { describe, expect, it } from 'vitest';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  describeSmtpError,
  isPermanentSmtpError,
  retryDelayMs,
} from '../../../server/src/notifications/notifications.backoff';

const middle = () => 0.5; // no jitter: 0.8 + 0.4 * 0.5 = 1

describe('retryDelayMs', () => {
  it('starts at one minute and doubles after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, middle))).toEqual([
      BACKOFF_BASE_MS,
      2 * BACKOFF_BASE_MS,
      4 * BACKOFF_BASE_MS,
      8 * BACKOFF_BASE_MS,
      16 * BACKOFF_BASE_MS,
    ]);
  });

  it('never waits more than the cap, even after thousands of attempts', () => {
    expect(retryDelayMs(7, middle)).toBe(BACKOFF_CAP_MS);
    expect(retryDelayMs(10_000, middle)).toBe(BACKOFF_CAP_MS);
  });

  it('spreads retries by ±20 % so emails queued during an outage do not all come back at once', () => {
    expect(retryDelayMs(1, () => 0)).toBe(0.8 * BACKOFF_BASE_MS);
    expect(retryDelayMs(1, () => 0.999999)).toBeCloseTo(1.2 * BACKOFF_BASE_MS, -2);
    expect(retryDelayMs(100, () => 0)).toBe(0.8 * BACKOFF_CAP_MS);
  });

  it('treats a nonsense attempt count as the first attempt', () => {
    expect(retryDelayMs(0, middle)).toBe(BACKOFF_BASE_MS);
    expect(retryDelayMs(-3, middle)).toBe(BACKOFF_BASE_MS);
  });
});

describe('isPermanentSmtpError', () => {
  it('gives up on 5xx replies only', () => {
    expect(isPermanentSmtpError({ responseCode: 550 })).toBe(true);
    expect(isPermanentSmtpError({ responseCode: 554 })).toBe(true);
    expect(isPermanentSmtpError({ responseCode: 451 })).toBe(false); // greylisting
    expect(isPermanentSmtpError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isPermanentSmtpError(new Error('timeout'))).toBe(false);
    expect(isPermanentSmtpError(null)).toBe(false);
  });
});

describe('describeSmtpError', () => {
  it('keeps the code and message but never an email address', () => {
    const text = describeSmtpError({
      code: 'EENVELOPE',
      responseCode: 550,
      message: '550 5.1.1 <jeanne.dupont@example.fr>: Recipient address rejected',
    });
    expect(text).toBe('EENVELOPE 550 550 5.1.1 <address>: Recipient address rejected');
    expect(text).not.toContain('jeanne');
  });

  it('fits in the column (500 characters, one line)', () => {
    const text = describeSmtpError(new Error(`line\n${'x'.repeat(900)}`));
    expect(text.length).toBe(500);
    expect(text).not.toContain('\n');
  });
});
