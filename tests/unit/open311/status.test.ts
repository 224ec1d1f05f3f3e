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
  const base = { statusReason: null, duplicateOf: null, expectedDay: null };

  it('gives the reason of a rejection or a not-fixable report', () => {
    expect(statusNotes({ ...base, status: 'rejected', statusReason: 'Voie privée' })).toBe('Voie privée');
    expect(statusNotes({ ...base, status: 'not_fixable', statusReason: ' Réseau ENEDIS ' })).toBe(
      'Réseau ENEDIS',
    );
  });

  it('names the kept report of a duplicate', () => {
    const kept = '3f1c2a4e-0000-4000-8000-000000000001';
    expect(statusNotes({ ...base, status: 'duplicate', duplicateOf: kept })).toBe(
      `Doublon du signalement ${kept}.`,
    );
    expect(statusNotes({ ...base, status: 'duplicate' })).toBe('Doublon d’un autre signalement.');
  });

  it('gives the day of the round that will do an open report', () => {
    expect(statusNotes({ ...base, status: 'planned', expectedDay: '2026-12-01' })).toBe(
      'Intervention prévue le 01/12/2026.',
    );
    expect(statusNotes({ ...base, status: 'fixed', expectedDay: '2026-12-01' })).toBe('Réparé.');
  });

  it('otherwise says what the status means, and nothing for a new report', () => {
    expect(statusNotes({ ...base, status: 'acknowledged' })).toBe('Pris en compte par la mairie.');
    expect(statusNotes({ ...base, status: 'in_progress' })).toBe('Intervention en cours.');
    expect(statusNotes({ ...base, status: 'rejected', statusReason: '  ' })).toBe('Refusé par la mairie.');
    expect(statusNotes({ ...base, status: 'new' })).toBeNull();
  });
});
