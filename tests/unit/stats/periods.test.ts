import { describe, expect, it } from 'vitest';
import {
  addDays,
  BACKLOG_BUCKETS,
  bucketDays,
  daysBetween,
  earlierDay,
  laterDay,
  nextPeriod,
  periodEnd,
  periodRange,
  periodStart,
} from '../../../server/src/contract/stats';

describe('periods of the reports-over-time figure', () => {
  it('start on the day, on Monday (ISO weeks) or on the 1st', () => {
    expect(periodStart('2026-12-03', 'day')).toBe('2026-12-03');
    expect(periodStart('2026-12-03', 'week')).toBe('2026-11-30'); // a Thursday
    expect(periodStart('2026-11-30', 'week')).toBe('2026-11-30'); // a Monday
    expect(periodStart('2026-12-06', 'week')).toBe('2026-11-30'); // a Sunday
    expect(periodStart('2027-01-01', 'week')).toBe('2026-12-28'); // across the year
    expect(periodStart('2026-12-31', 'month')).toBe('2026-12-01');
  });

  it('end on the last day of the period, leap years and year ends included', () => {
    expect(periodEnd('2026-12-01', 'day')).toBe('2026-12-01');
    expect(periodEnd('2026-11-30', 'week')).toBe('2026-12-06');
    expect(periodEnd('2028-02-01', 'month')).toBe('2028-02-29');
    expect(periodEnd('2026-02-01', 'month')).toBe('2026-02-28');
    expect(periodEnd('2026-12-01', 'month')).toBe('2026-12-31');
    expect(nextPeriod('2026-12-01', 'month')).toBe('2027-01-01');
  });

  it('list every period of a range, and refuse more than the maximum', () => {
    expect(periodRange('2026-10-15', '2027-01-02', 'month')).toEqual([
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
    expect(periodRange('2026-11-28', '2026-12-03', 'week')).toEqual(['2026-11-23', '2026-11-30']);
    expect(periodRange('2026-03-28', '2026-03-30', 'day')).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
    expect(periodRange('2026-01-01', '2026-12-31', 'day')).toHaveLength(365);
    expect(periodRange('2025-01-01', '2026-12-31', 'day')).toBeUndefined();
    expect(periodRange('2026-01-01', '2026-01-10', 'day', 5)).toBeUndefined();
    expect(periodRange('2026-01-01', '2026-01-05', 'day', 5)).toHaveLength(5);
  });
});

describe('calendar helpers', () => {
  it('add and count days across month ends and the change to summer time', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-11-01', '2026-12-15')).toBe(409);
    expect(laterDay('2026-01-02', '2026-01-01')).toBe('2026-01-02');
    expect(laterDay(undefined, '2026-01-01')).toBe('2026-01-01');
    expect(earlierDay('2026-01-02', '2026-01-01')).toBe('2026-01-01');
    expect(earlierDay('2026-01-02', undefined)).toBe('2026-01-02');
  });

  it('turn backlog buckets into days of receipt that tile the past without gaps', () => {
    const today = '2026-12-15';
    const ranges = BACKLOG_BUCKETS.map((b) => bucketDays(b, today));
    expect(ranges[0]).toEqual({ from: '2026-12-09', to: '2026-12-15' });
    expect(ranges.at(-1)).toEqual({ from: undefined, to: '2025-12-15' });
    for (let i = 1; i < ranges.length; i++) expect(addDays(ranges[i]!.to, 1)).toBe(ranges[i - 1]!.from);
  });
});
