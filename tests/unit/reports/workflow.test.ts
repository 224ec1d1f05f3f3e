import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES, type ReportStatus } from '../../../server/src/contract/common';
import {
  canTransition,
  CLOSED_STATUSES,
  isClosed,
  needs,
  nextStatuses,
  TRANSITIONS,
} from '../../../server/src/contract/workflow';

describe('report workflow', () => {
  it('has a rule for every status and only names real statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...REPORT_STATUSES].sort());
    for (const to of Object.values(TRANSITIONS).flat()) expect(REPORT_STATUSES).toContain(to);
  });

  it('never lists staying in the same status as a transition', () => {
    for (const s of REPORT_STATUSES) expect(canTransition(s, s)).toBe(false);
  });

  it('lets an open report be closed in every way, and a closed one only be reopened', () => {
    for (const s of ['new', 'acknowledged', 'planned'] as ReportStatus[])
      for (const c of CLOSED_STATUSES) expect(canTransition(s, c), `${s} -> ${c}`).toBe(true);
    for (const c of CLOSED_STATUSES) expect(nextStatuses(c)).toEqual(['acknowledged']);
  });

  it('does not let work in progress be rejected or sent back to "new"', () => {
    expect(canTransition('in_progress', 'rejected')).toBe(false);
    expect(canTransition('in_progress', 'new')).toBe(false);
    expect(canTransition('in_progress', 'fixed')).toBe(true);
  });

  it('never goes back to "new": a report once looked at stays acknowledged', () => {
    for (const s of REPORT_STATUSES) expect(canTransition(s, 'new')).toBe(false);
  });

  it('returns unfinished reports of a closed round to the pool and a skipped stop to its round', () => {
    expect(canTransition('planned', 'acknowledged')).toBe(true);
    expect(canTransition('in_progress', 'planned')).toBe(true);
  });

  it('knows which statuses are closed', () => {
    expect(REPORT_STATUSES.filter(isClosed)).toEqual(['fixed', 'not_fixable', 'duplicate', 'rejected']);
  });

  it('requires a kept report for a duplicate and a reason for a rejection', () => {
    expect(needs('duplicate')).toEqual({ duplicateOf: true, reason: false });
    expect(needs('rejected')).toEqual({ duplicateOf: false, reason: true });
    expect(needs('fixed')).toEqual({ duplicateOf: false, reason: false });
  });
});
