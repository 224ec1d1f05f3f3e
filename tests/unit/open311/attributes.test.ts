import { describe, expect, it } from 'vitest';
import type { Open311Attribute } from '../../../server/src/contract/open311';
import {
  readVigieAttributes,
  validateAttributes,
  vigieAttributes,
} from '../../../server/src/open311/open311.attributes';

const def = (
  over: Partial<Open311Attribute> & Pick<Open311Attribute, 'code' | 'datatype'>,
): Open311Attribute => ({
  variable: true,
  required: false,
  datatype_description: null,
  order: 1,
  description: over.code,
  ...over,
});

const DEFINITION: Open311Attribute[] = [
  def({ code: 'where', datatype: 'string', required: true, order: 1 }),
  def({ code: 'notes', datatype: 'text', order: 2 }),
  def({ code: 'depth', datatype: 'number', order: 3 }),
  def({ code: 'seen', datatype: 'datetime', order: 4 }),
  def({
    code: 'side',
    datatype: 'singlevaluelist',
    order: 5,
    values: [
      { key: 'left', name: 'Gauche' },
      { key: 'right', name: 'Droite' },
    ],
  }),
  def({
    code: 'kinds',
    datatype: 'multivaluelist',
    order: 6,
    values: [
      { key: 'a', name: 'A' },
      { key: 'b', name: 'B' },
    ],
  }),
  def({ code: 'info', datatype: 'string', variable: false, order: 7 }),
];

describe('validateAttributes', () => {
  it('accepts values of every datatype and parses them', () => {
    const { values, errors } = validateAttributes(DEFINITION, {
      where: ['devant la mairie'],
      notes: ['ligne 1\nligne 2'],
      depth: ['12.5'],
      seen: ['2026-11-20T09:30:00+01:00'],
      side: ['left'],
      kinds: ['a', 'b'],
    });
    expect(errors).toEqual([]);
    expect(values).toEqual({
      where: 'devant la mairie',
      notes: 'ligne 1\nligne 2',
      depth: 12.5,
      seen: new Date('2026-11-20T08:30:00Z'),
      side: ['left'],
      kinds: ['a', 'b'],
    });
  });

  it('refuses a missing required attribute, and counts a blank value as missing', () => {
    expect(validateAttributes(DEFINITION, {}).errors).toEqual([
      { field: 'attribute[where]', message: 'is required' },
    ]);
    expect(validateAttributes(DEFINITION, { where: ['  '] }).errors).toEqual([
      { field: 'attribute[where]', message: 'is required' },
    ]);
  });

  it('refuses an unknown code and an attribute that is information only', () => {
    const { errors } = validateAttributes(DEFINITION, { where: ['x'], colour: ['red'], info: ['y'] });
    expect(errors.map((e) => e.field)).toEqual(['attribute[colour]', 'attribute[info]']);
    expect(errors[0]!.message).toMatch(/not an attribute of this service/);
  });

  it.each([
    ['where', ['two\nlines'], /one line/],
    ['where', ['x'.repeat(201)], /at most 200/],
    ['where', ['a', 'b'], /single value/],
    ['notes', ['bell\u0007'], /control characters/],
    ['depth', ['deep'], /number/],
    ['depth', ['1e999'], /number/],
    ['depth', [''], null],
    ['seen', ['2026-11-20'], /W3C date-time/],
    ['seen', ['2026-11-20T09:30:00'], /W3C date-time/],
    ['seen', ['2026-02-30T09:30:00Z'], /valid date|W3C/],
    ['side', ['middle'], /one of left, right/],
    ['side', ['left', 'right'], /single value/],
    ['kinds', ['a', 'c'], /"c" is not one of a, b/],
    ['kinds', ['a', 'a'], /twice/],
  ] as const)('refuses attribute[%s]=%j', (code, given, message) => {
    const { errors } = validateAttributes(DEFINITION, {
      where: ['ok'],
      ...(code === 'where' ? {} : {}),
      [code]: [...given],
    });
    if (message === null) {
      expect(errors).toEqual([]);
      return;
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(`attribute[${code}]`);
    expect(errors[0]!.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const { errors } = validateAttributes(DEFINITION, { depth: ['x'], side: ['y'] });
    expect(errors.map((e) => e.field)).toEqual(['attribute[where]', 'attribute[depth]', 'attribute[side]']);
  });

  it('refuses a flood of values', () => {
    const { errors } = validateAttributes(DEFINITION, { kinds: Array.from({ length: 51 }, () => 'a') });
    expect(errors).toEqual([{ field: 'attribute', message: 'at most 50 values' }]);
  });
});

describe("Vigie's service definition", () => {
  it('asks for danger (required list), when it was seen and a landmark, in that order', () => {
    const attrs = vigieAttributes();
    expect(attrs.map((a) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['danger', 'singlevaluelist', true, 1],
      ['observed_at', 'datetime', false, 2],
      ['landmark', 'string', false, 3],
    ]);
    expect(attrs[0]!.values!.map((v) => v.key)).toEqual(['yes', 'no']);
  });

  const now = new Date('2026-11-20T12:00:00Z');

  it('makes a dangerous defect a danger priority and keeps the default otherwise', () => {
    expect(readVigieAttributes({ danger: ['yes'] }, 'normal', now).facts.priority).toBe('danger');
    expect(readVigieAttributes({ danger: ['no'] }, 'high', now).facts.priority).toBe('high');
  });

  it('takes observed_at as the capture time and the landmark as given', () => {
    const r = readVigieAttributes(
      { danger: ['no'], observed_at: ['2026-11-20T09:30:00+01:00'], landmark: [' poteau 12 '] },
      'normal',
      now,
    );
    expect(r.errors).toEqual([]);
    expect(r.facts).toEqual({
      priority: 'normal',
      capturedAt: new Date('2026-11-20T08:30:00Z'),
      landmark: 'poteau 12',
    });
  });

  it('refuses a defect seen in the future (beyond a few minutes of clock difference)', () => {
    expect(
      readVigieAttributes({ danger: ['no'], observed_at: ['2026-11-20T12:04:00Z'] }, 'normal', now).errors,
    ).toEqual([]);
    expect(
      readVigieAttributes({ danger: ['no'], observed_at: ['2026-11-21T12:00:00Z'] }, 'normal', now).errors,
    ).toEqual([{ field: 'attribute[observed_at]', message: 'is in the future' }]);
  });

  it('requires danger', () => {
    expect(readVigieAttributes({}, 'normal', now).errors).toEqual([
      { field: 'attribute[danger]', message: 'is required' },
    ]);
  });
});
