import { describe, expect, it } from 'vitest';
import {
  Open311PostFields,
  Open311RequestsQuery,
  splitAttributes,
  W3cDateTime,
} from '../../../server/src/contract/open311';
import { requestsWindow } from '../../../server/src/open311/open311.window';

const ID1 = '3f1c2a4e-0000-4000-8000-000000000001';
const ID2 = '3f1c2a4e-0000-4000-8000-000000000002';

describe('W3cDateTime', () => {
  it.each([
    ['2010-01-01T00:00:00Z', '2010-01-01T00:00:00.000Z'],
    ['2010-01-01T01:00:00+01:00', '2010-01-01T00:00:00.000Z'],
    ['2010-01-01T00:00Z', '2010-01-01T00:00:00.000Z'],
    ['2010-01-01T00:00:00.123456-05:00', '2010-01-01T05:00:00.123Z'],
  ])('reads %s', (text, iso) => {
    expect(W3cDateTime.parse(text).toISOString()).toBe(iso);
  });

  it.each([
    '2010-01-01',
    '2010-01-01T00:00:00',
    '2010-13-01T00:00:00Z',
    '2010-02-29T00:00:00Z',
    '2010-01-01T24:00:00Z',
    '2010-01-01T00:00:00+15:00',
    'now',
  ])('refuses %s', (text) => {
    expect(W3cDateTime.safeParse(text).success).toBe(false);
  });
});

describe('Open311RequestsQuery', () => {
  it('treats empty parameters as absent', () => {
    expect(
      Open311RequestsQuery.parse({ jurisdiction_id: '', status: '', service_code: '', start_date: '' }),
    ).toEqual({});
  });

  it('reads comma-separated and repeated lists alike, blanks ignored', () => {
    const q = Open311RequestsQuery.parse({
      status: ['open', 'closed'],
      service_code: 'pothole, sign,',
      service_request_id: `${ID1},${ID2.toUpperCase()}`,
    });
    expect(q).toEqual({
      status: ['open', 'closed'],
      service_code: ['pothole', 'sign'],
      service_request_id: [ID1, ID2],
    });
  });

  it('refuses a repeated single-valued parameter, an unknown one, a bad status', () => {
    expect(Open311RequestsQuery.safeParse({ jurisdiction_id: ['a', 'b'] }).success).toBe(false);
    expect(Open311RequestsQuery.safeParse({ page: '2' }).success).toBe(false);
    expect(Open311RequestsQuery.safeParse({ status: 'opened' }).success).toBe(false);
    expect(Open311RequestsQuery.safeParse({ service_request_id: 'abc' }).success).toBe(false);
  });

  it('takes at most 1000 ids', () => {
    const ids = Array.from({ length: 1001 }, () => ID1).join(',');
    expect(Open311RequestsQuery.safeParse({ service_request_id: ids }).success).toBe(false);
  });
});

describe('Open311PostFields', () => {
  const base = { api_key: 'k', service_code: 'pothole', lat: '47.7', long: '-2.6' };

  it('reads the location as numbers and ignores empty fields', () => {
    expect(Open311PostFields.parse({ ...base, email: '', description: 'Trou\nprofond' })).toEqual({
      api_key: 'k',
      service_code: 'pothole',
      lat: 47.7,
      long: -2.6,
      description: 'Trou\nprofond',
    });
  });

  it('wants lat and long together', () => {
    const r = Open311PostFields.safeParse({ ...base, long: undefined });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['long']);
  });

  it.each([
    [{ lat: 'north' }, 'lat'],
    [{ lat: '1e999' }, 'lat'],
    [{ long: '181' }, 'long'],
    [{ email: 'nobody' }, 'email'],
    [{ media_url: 'javascript:alert(1)' }, 'media_url'],
    [{ media_url: 'gopher://example.org/' }, 'media_url'],
    [{ first_name: 'a\u0000b' }, 'first_name'],
    [{ address_string: 'une\nadresse' }, 'address_string'],
    [{ description: 'x'.repeat(2001) }, 'description'],
    [{ description: 'bell\u0007' }, 'description'],
    [{ service_code: 'Pot Hole' }, 'service_code'],
    [{ color: 'red' }, undefined],
  ])('refuses %j', (over, field) => {
    const r = Open311PostFields.safeParse({ ...base, ...over });
    expect(r.success).toBe(false);
    if (field) expect(r.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe('splitAttributes', () => {
  it('takes attribute[code] and attribute[code][] out of the form, in order', () => {
    expect(
      splitAttributes({
        service_code: 'pothole',
        'attribute[danger]': 'yes',
        'attribute[kinds][]': ['a', 'b'],
        'attribute[empty]': '',
      }),
    ).toEqual({
      fields: { service_code: 'pothole' },
      attributes: { danger: ['yes'], kinds: ['a', 'b'] },
      badKeys: [],
    });
  });

  it('reports malformed attribute keys', () => {
    expect(
      splitAttributes({ 'attribute[]': 'x', attribute: 'y', 'attribute[a][b]': 'z', 'attribute[é]': 'w' })
        .badKeys,
    ).toEqual(['attribute[]', 'attribute', 'attribute[a][b]', 'attribute[é]']);
  });
});

describe('requestsWindow', () => {
  const at = new Date('2026-11-20T12:00:00Z');
  const day = 86_400_000;

  it('defaults to the most recent 90 days', () => {
    expect(requestsWindow({}, at)).toEqual({ from: new Date(at.getTime() - 90 * day), to: at });
  });

  it('runs 90 days from start_date alone, or to end_date alone', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(requestsWindow({ start_date: start }, at)).toEqual({
      from: start,
      to: new Date(start.getTime() + 90 * day),
    });
    expect(requestsWindow({ end_date: start }, at)).toEqual({
      from: new Date(start.getTime() - 90 * day),
      to: start,
    });
  });

  it('takes both ends up to 90 days apart, refuses a longer or reversed window', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const end = new Date(start.getTime() + 90 * day);
    expect(requestsWindow({ start_date: start, end_date: end }, at)).toEqual({ from: start, to: end });
    expect(() => requestsWindow({ start_date: start, end_date: new Date(end.getTime() + 1) }, at)).toThrow(
      /90 days/,
    );
    expect(() => requestsWindow({ start_date: end, end_date: start }, at)).toThrow(/before end_date/);
  });
});
