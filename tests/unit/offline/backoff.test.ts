import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, backoffDelay, retryAfterDelay } from '../../../client/src/offline/backoff';

const fixed = (r: number) => () => r;

describe('backoffDelay', () => {
  it('starts at 1 s and doubles per consecutive failure (no jitter at random = 0.5)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, fixed(0.5)));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
  });

  it('caps at 5 minutes, however many failures', () => {
    expect(backoffDelay(9, fixed(0.5))).toBe(256_000);
    expect(backoffDelay(10, fixed(0.5))).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1_000, fixed(0.999))).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, fixed(0))).toBeLessThanOrEqual(BACKOFF_MAX_MS);
  });

  it('spreads retries by ±20 % so phones that lost the same mast do not retry in step', () => {
    expect(backoffDelay(3, fixed(0))).toBe(3_200);
    expect(backoffDelay(3, fixed(0.999999))).toBe(4_800);
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(4, Math.random);
      expect(d).toBeGreaterThanOrEqual(6_400);
      expect(d).toBeLessThanOrEqual(9_600);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('never returns less than 800 ms, even for a zero or bogus failure count or random value', () => {
    expect(backoffDelay(0, fixed(0))).toBe(800);
    expect(backoffDelay(-5, fixed(0))).toBe(800);
    expect(backoffDelay(1, fixed(Number.NaN))).toBe(1_000);
  });
});

describe('retryAfterDelay', () => {
  it("honours the server's Retry-After within the 5 minute cap and never shortens the backoff", () => {
    expect(retryAfterDelay(30, 1_000)).toBe(30_000);
    expect(retryAfterDelay(0, 4_000)).toBe(4_000);
    expect(retryAfterDelay(86_400, 1_000)).toBe(BACKOFF_MAX_MS);
    expect(retryAfterDelay(undefined, 2_000)).toBe(2_000);
    expect(retryAfterDelay(Number.NaN, 2_000)).toBe(2_000);
  });
});
