import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError } from '../../../client/src/staff/api';
import { offeredStatuses, parseCoordinate } from '../../../client/src/staff/townhall/report/actions';
import { errorText } from '../../../client/src/staff/townhall/report/errors';

const can = (over: Partial<Parameters<typeof offeredStatuses>[0]['can']> = {}) => ({
  fieldStatus: false,
  anyStatus: false,
  triage: false,
  note: false,
  moderate: false,
  original: false,
  ...over,
});

describe('offeredStatuses', () => {
  it('offers a supervisor every status the life cycle allows next', () => {
    expect(offeredStatuses({ status: 'new', can: can({ fieldStatus: true, anyStatus: true }) })).toEqual([
      'acknowledged',
      'planned',
      'in_progress',
      'fixed',
      'not_fixable',
      'duplicate',
      'rejected',
    ]);
    expect(offeredStatuses({ status: 'fixed', can: can({ anyStatus: true }) })).toEqual(['acknowledged']);
  });

  it('offers a crew the field statuses only, and nothing on a closed report', () => {
    expect(offeredStatuses({ status: 'planned', can: can({ fieldStatus: true }) })).toEqual([
      'in_progress',
      'fixed',
      'not_fixable',
    ]);
    expect(offeredStatuses({ status: 'fixed', can: can({ fieldStatus: true }) })).toEqual([]);
    expect(offeredStatuses({ status: 'new', can: can() })).toEqual([]);
  });
});

describe('parseCoordinate', () => {
  it('reads decimal degrees, with a point or a comma, within range', () => {
    expect(parseCoordinate(' 47.70512 ', 90)).toBe(47.70512);
    expect(parseCoordinate('-2,65104', 180)).toBe(-2.65104);
    expect(parseCoordinate('91', 90)).toBeUndefined();
    expect(parseCoordinate('47°42′', 90)).toBeUndefined();
    expect(parseCoordinate('', 90)).toBeUndefined();
    expect(parseCoordinate('1e3', 180)).toBeUndefined();
  });
});

describe('errorText', () => {
  const t = ((key: string, o?: { message?: string }) =>
    `${key}${o?.message ? ` [${o.message}]` : ''}`) as TFunction;
  it('turns known error codes into what to do next', () => {
    expect(errorText(t, new ApiError(409, 'report_closed', 'closed'))).toBe(
      'moderation.errors.report_closed [closed]',
    );
    expect(errorText(t, new ApiError(0, 'network', 'network'))).toBe('moderation.errors.network [network]');
  });
  it("falls back to the server's message, and a generic one for server errors", () => {
    expect(errorText(t, new ApiError(422, 'something_new', 'Nope.'))).toBe('moderation.errors.other [Nope.]');
    expect(errorText(t, new ApiError(500, 'server', 'boom'))).toBe('moderation.errors.server [boom]');
    expect(errorText(t, new ApiError(503, 'unknown', 'down'))).toBe('moderation.errors.server');
  });
});
