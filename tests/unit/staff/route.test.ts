import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from '../../../client/src/staff/route';
import { filterFromQuery, filterToQuery } from '../../../client/src/staff/townhall/filters';

describe('staff URL router', () => {
  it('reads each screen from its address, and a report page from its id', () => {
    expect(parseRoute('/staff/', '').view).toBeUndefined();
    expect(parseRoute('/staff/board', '').view).toBe('board');
    expect(parseRoute('/staff/history', '?status=new').query.get('status')).toBe('new');
    const id = '0b0e2a8e-4c55-4b51-9d4b-2a1c9a2f7e10';
    expect(parseRoute(`/staff/reports/${id.toUpperCase()}`, '')).toMatchObject({ view: 'report', id });
  });

  it('gives the first screen for unknown or malformed addresses', () => {
    expect(parseRoute('/staff/nowhere', '').view).toBeUndefined();
    expect(parseRoute('/staff/reports/not-a-uuid', '').view).toBeUndefined();
    expect(parseRoute('/staff/report', '').view).toBeUndefined();
  });

  it('builds addresses that parse back to the same screen', () => {
    const q = new URLSearchParams({ status: 'new,acknowledged', address: "rue de l'église" });
    const href = hrefFor('history', { query: q });
    const url = new URL(href, 'http://x');
    expect(parseRoute(url.pathname, url.search)).toMatchObject({ view: 'history' });
    expect(new URL(href, 'http://x').searchParams.get('address')).toBe("rue de l'église");
    expect(hrefFor('report', { id: 'abc' })).toBe('/staff/reports/abc');
  });
});

describe('town hall filter in the address', () => {
  it('keeps only filter parameters, in a stable order, without empty values', () => {
    const f = filterFromQuery(new URLSearchParams('q=trou&limit=5&status=new&category=&x=1'));
    expect(f).toEqual({ q: 'trou', status: 'new' });
    expect(String(filterToQuery({ status: 'new', q: ' trou ', address: '' }, { cursor: 'abc' }))).toBe(
      'status=new&q=trou&cursor=abc',
    );
  });
});
