import { describe, expect, it } from 'vitest';
import en from '../../../client/src/locales/en.json';
import fr from '../../../client/src/locales/fr.json';
import { parseRoute, routeHref } from '../../../client/src/shell/route';

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  const f = flatten(fr as Tree);
  const e = flatten(en as Tree);

  it('have the same keys in French and English, none empty', () => {
    expect([...f.keys()].sort()).toEqual([...e.keys()].sort());
    for (const [k, v] of [...f, ...e]) expect(v.trim(), k).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [k, v] of f) expect(placeholders(e.get(k)!), k).toEqual(placeholders(v));
  });

  it('name every status of the contract', async () => {
    const { REPORT_STATUSES } = await import('../../../server/src/contract/common');
    for (const s of REPORT_STATUSES) {
      expect(f.has(`mine.status.${s}`), s).toBe(true);
      expect(e.has(`mine.status.${s}`), s).toBe(true);
    }
  });
});

describe('routes', () => {
  it('parses the hash routes and round-trips them', () => {
    const id = '3f1c1a52-6d1b-4a8e-9a53-2b8f0f5e7c11';
    expect(parseRoute('')).toEqual({ name: 'report' });
    expect(parseRoute('#/')).toEqual({ name: 'report' });
    expect(parseRoute('#/mine')).toEqual({ name: 'mine' });
    expect(parseRoute(`#/mine/${id.toUpperCase()}`)).toEqual({ name: 'detail', id });
    expect(parseRoute('#/mine/../../etc')).toEqual({ name: 'report' });
    for (const r of [{ name: 'report' }, { name: 'mine' }, { name: 'detail', id }] as const) {
      expect(parseRoute(routeHref(r))).toEqual(r);
    }
  });
});
