import { describe, expect, it } from 'vitest';
import { BACKLOG_BUCKETS } from '../../../server/src/contract/stats';
import { formatDays, formatPeriod } from '../../../client/src/staff/townhall/stats/format';
import {
  backlogFilter,
  cellFilter,
  periodFilter,
  resolutionFilter,
  statusFilter,
} from '../../../client/src/staff/townhall/stats/links';

const bucket = (key: string) => BACKLOG_BUCKETS.find((b) => b.key === key)!;

describe('links from statistics figures to the history list', () => {
  it('narrows the screen’s filter to a status group, keeping what the screen already excluded', () => {
    expect(statusFilter({ commune: 'ploeren' }, 'open')).toEqual({
      commune: 'ploeren',
      status: 'new,acknowledged,planned,in_progress',
    });
    expect(statusFilter({ status: 'new,fixed' }, 'open')).toEqual({ status: 'new' });
    expect(statusFilter({ status: 'new,fixed' }, 'closed')).toEqual({ status: 'fixed' });
    expect(statusFilter({}, 'fixed')).toEqual({ status: 'fixed' });
  });

  it('opens one period of a figure, within the screen’s own dates', () => {
    expect(periodFilter({ category: 'pothole' }, '2026-02-01', 'month', undefined, 'new')).toEqual({
      category: 'pothole',
      from: '2026-02-01',
      to: '2026-02-28',
      status: 'new',
    });
    // The screen started on the 10th and ends on the 20th: the month's link keeps those days.
    expect(periodFilter({ from: '2026-02-10', to: '2026-02-20' }, '2026-02-01', 'month', 'sign')).toEqual({
      from: '2026-02-10',
      to: '2026-02-20',
      category: 'sign',
    });
    expect(periodFilter({}, '2026-11-30', 'week')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(periodFilter({}, '2026-11-30', 'day')).toEqual({ from: '2026-11-30', to: '2026-11-30' });
  });

  it('opens the fixed or closed reports of a category', () => {
    expect(resolutionFilter({ from: '2026-01-01' }, 'pothole', 'fixed')).toEqual({
      from: '2026-01-01',
      status: 'fixed',
      category: 'pothole',
    });
    expect(resolutionFilter({}, undefined, 'closed')).toEqual({
      status: 'fixed,not_fixable,duplicate,rejected',
    });
  });

  it('opens the open reports of an age bucket: received between its days', () => {
    expect(backlogFilter({}, bucket('week'), '2026-12-15')).toEqual({
      status: 'new,acknowledged,planned,in_progress',
      from: '2026-12-09',
      to: '2026-12-15',
    });
    expect(backlogFilter({ status: 'new' }, bucket('older'), '2026-12-15', 'pothole')).toEqual({
      status: 'new',
      to: '2025-12-15',
      category: 'pothole',
    });
    expect(backlogFilter({ from: '2026-12-01' }, bucket('month'), '2026-12-15')).toMatchObject({
      from: '2026-12-01',
      to: '2026-12-08',
    });
  });

  it('opens a hotspot cell as an area (its corners), or narrows the rectangle when an area is set', () => {
    const cell = { minLon: -2.66, minLat: 47.7, maxLon: -2.655, maxLat: 47.705, count: 3, open: 1 };
    expect(cellFilter({ q: 'trou', bbox: '-3,47,-2,48' }, cell)).toEqual({
      q: 'trou',
      bbox: '-3,47,-2,48',
      area: '-2.66,47.7;-2.655,47.7;-2.655,47.705;-2.66,47.705',
    });
    expect(cellFilter({ area: '1,2;3,4;5,6', bbox: '-2.658,47.6,0,48' }, cell)).toEqual({
      area: '1,2;3,4;5,6',
      bbox: '-2.658,47.7,-2.655,47.705',
    });
    expect(cellFilter({ area: '1,2;3,4;5,6' }, cell).bbox).toBe('-2.66,47.7,-2.655,47.705');
  });
});

describe('statistics formatting', () => {
  it('writes days with a decimal comma in French, a point in English', () => {
    expect(formatDays(60, 'fr')).toBe('2,5');
    expect(formatDays(60, 'en')).toBe('2.5');
    expect(formatDays(null, 'fr')).toBe('—');
  });

  it('names periods by month, week or day', () => {
    expect(formatPeriod('2026-11-01', 'month', 'fr', 'Semaine du')).toBe('nov. 2026');
    expect(formatPeriod('2026-11-30', 'week', 'en', 'Week of')).toBe('Week of 30 Nov 2026');
    expect(formatPeriod('2026-11-30', 'day', 'fr', '')).toBe('30 nov. 2026');
  });
});
