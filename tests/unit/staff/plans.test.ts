import { describe, expect, it } from 'vitest';
import type { PlanView, StopView } from '../../../server/src/contract/plans';
import { withPending, withStop } from '../../../client/src/staff/crew/planCache';
import { moveStop, moveUp, roundOfField, type Draft } from '../../../client/src/staff/plans/drafts';
import { clockTime, localDate } from '../../../client/src/staff/plans/plansApi';

function stop(reportId: string, position: number): StopView {
  return {
    position,
    reportId,
    status: 'pending',
    note: null,
    doneAt: null,
    arrivalMinute: 10 * position,
    serviceMinutes: 20,
    travelMinutes: 5,
    distanceMetres: 900,
    afterPhotoUrl: null,
    report: {
      category: { code: 'pothole', labelFr: 'Nid-de-poule', labelEn: 'Pothole', icon: 'pothole' },
      lat: 47.7,
      lon: -2.65,
      description: null,
      priority: 'normal' as StopView['report']['priority'],
      status: 'planned' as StopView['report']['status'],
      thumbUrl: null,
    },
  };
}

function draft(crewId: number, ids: string[]): Draft {
  return {
    crew: { id: crewId, name: `Crew ${crewId}` },
    workType: 'asphalt',
    depot: { lat: 47.7, lon: -2.65 },
    dayStartMinute: 480,
    stops: ids.map((id, i) => stop(id, i + 1)),
    totals: {
      travelMinutes: 1,
      serviceMinutes: 1,
      totalMinutes: 2,
      distanceMetres: 1,
      workingMinutes: 480,
      returnTravelMinutes: 1,
    },
    fits: true,
    changed: false,
  };
}

describe('planning helpers', () => {
  it('moves a stop to the end of another round and renumbers both', () => {
    const out = moveStop([draft(1, ['a', 'b', 'c']), draft(2, ['d'])], 0, 'b', 1);
    expect(out[0]!.stops.map((s) => [s.reportId, s.position])).toEqual([
      ['a', 1],
      ['c', 2],
    ]);
    expect(out[1]!.stops.map((s) => [s.reportId, s.position])).toEqual([
      ['d', 1],
      ['b', 2],
    ]);
    expect(out.map((d) => d.changed)).toEqual([true, true]);
  });

  it('removes a stop from every round when the target is -1', () => {
    const out = moveStop([draft(1, ['a', 'b'])], 0, 'a', -1);
    expect(out[0]!.stops.map((s) => s.reportId)).toEqual(['b']);
  });

  it('moves a stop up one place and leaves the first stop where it is', () => {
    const [d] = moveUp([draft(1, ['a', 'b', 'c'])], 0, 'c');
    expect(d!.stops.map((s) => [s.reportId, s.position])).toEqual([
      ['a', 1],
      ['c', 2],
      ['b', 3],
    ]);
    expect(moveUp([draft(1, ['a', 'b'])], 0, 'a')[0]!.stops.map((s) => s.reportId)).toEqual(['a', 'b']);
  });

  it('maps a server error field to the round number shown, skipping empty rounds', () => {
    expect(roundOfField('plans.1.reportIds', [0, 2])).toBe(3);
    expect(roundOfField('plans.0', [0, 2])).toBe(1);
    expect(roundOfField(undefined, [0])).toBeUndefined();
  });

  it('shows arrival times from an 8:00 start and local calendar days', () => {
    expect(clockTime(0)).toBe('08:00');
    expect(clockTime(95.4)).toBe('09:35');
    // From the commune's day start (working hours in the settings).
    expect(clockTime(95.4, 7 * 60 + 30)).toBe('09:05');
    expect(localDate(new Date(2026, 11, 31, 23, 0), 1)).toBe('2027-01-01');
  });

  it('overlays waiting updates on the server copy of a plan', () => {
    const plan = { id: 'p1', stops: [stop('a', 1), stop('b', 2)] } as unknown as PlanView;
    const shown = withPending(plan, [
      {
        key: 'p1:b',
        planId: 'p1',
        reportId: 'b',
        body: { status: 'done', at: '2026-11-24T09:00:00Z' },
        version: 1,
        attempts: 0,
        nextAt: 0,
      },
    ]);
    expect(shown.stops.map((s) => s.status)).toEqual(['pending', 'done']);
    expect(withStop(plan, 'a', 'skipped', 'fermé', null).stops[0]).toMatchObject({
      status: 'skipped',
      note: 'fermé',
    });
  });
});
