import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES } from '../../../server/src/contract/common';
import { open311Status, reportStatusesFor, statusNotes } from '../../../server/src/open311/open311.status';

describe('Open311 status mapping', () => {
  it('reads new, acknowledged, planned and in progress as open', () => {
    for (const s of ['new', 'acknowledged', 'planned', 'in_progress'] as const)
      expect(open311Status(s)).toBe('open');
  });

  it('reads fixed, not fixable, duplicate and rejected as closed', () => {
    for (const s of ['fixed', 'not_fixable', 'duplicate', 'rejected'] as const)
      expect(open311Status(s)).toBe('closed');
  });

  it('maps a status filter back to report statuses, both meaning all of them', () => {
    expect(reportStatusesFor(['open'])).toEqual(['new', 'acknowledged', 'planned', 'in_progress']);
    expect(reportStatusesFor(['closed'])).toEqual(['fixed', 'not_fixable', 'duplicate', 'rejected']);
    expect(reportStatusesFor(['open', 'closed'])).toEqual([...REPORT_STATUSES]);
  });
});

describe('status_notes', () => {
  const base = { statusReason: null, duplicateOf: null, latestPublicNote: null };

  it('gives the reason of a rejection or a not-fixable report', () => {
    expect(statusNotes({ ...base, status: 'rejected', statusReason: 'Voie privée' })).toBe('Voie privée');
    expect(
      statusNotes({ ...base, status: 'not_fixable', statusReason: ' Réseau ENEDIS ', latestPublicNote: 'x' }),
    ).toBe('Réseau ENEDIS');
  });

  it('names the kept report of a duplicate', () => {
    const kept = '3f1c2a4e-0000-4000-8000-000000000001';
    expect(statusNotes({ ...base, status: 'duplicate', duplicateOf: kept })).toBe(
      `Doublon du signalement ${kept}.`,
    );
    expect(statusNotes({ ...base, status: 'duplicate' })).toMatch(/Doublon/);
  });

  it('falls back to the latest public update, and to null when there is nothing to say', () => {
    expect(statusNotes({ ...base, status: 'planned', latestPublicNote: 'Prévu mardi' })).toBe('Prévu mardi');
    expect(statusNotes({ ...base, status: 'fixed', latestPublicNote: 'Rebouché' })).toBe('Rebouché');
    expect(statusNotes({ ...base, status: 'new' })).toBeNull();
    expect(statusNotes({ ...base, status: 'new', latestPublicNote: '   ' })).toBeNull();
  });
});
