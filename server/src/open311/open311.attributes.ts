import type { Priority } from '../contract/common';
import {
  hasControlCharacters,
  OPEN311_LIMITS,
  type Open311Attribute,
  W3cDateTime,
} from '../contract/open311';
import { LIMITS } from '../contract/limits';

/**
 * Service definitions and the validation of `attribute[...]` values (pure). Every Vigie service
 * (a category of the commune) asks the same three questions, because that is what the crew needs
 * from any report: is there a danger (the report is then planned first), when was it seen, and
 * a landmark to find it.
 */

/** Attribute codes of Vigie's service definition. */
export const ATTR = { danger: 'danger', observedAt: 'observed_at', landmark: 'landmark' } as const;

/** The attributes of every Vigie service, in the order they are asked. French first, English after. */
export function vigieAttributes(): Open311Attribute[] {
  return [
    {
      variable: true,
      code: ATTR.danger,
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description:
        'Le défaut met-il quelqu’un en danger (risque de chute, d’accident) ? / Is anyone in immediate danger?',
      values: [
        { key: 'yes', name: 'Oui, danger immédiat / Yes, immediate danger' },
        { key: 'no', name: 'Non / No' },
      ],
    },
    {
      variable: true,
      code: ATTR.observedAt,
      datatype: 'datetime',
      required: false,
      datatype_description:
        'Date et heure avec fuseau, ex. 2026-11-20T09:30:00+01:00 / W3C date-time with time zone',
      order: 2,
      description: 'Quand le défaut a-t-il été constaté ? / When was it seen?',
    },
    {
      variable: true,
      code: ATTR.landmark,
      datatype: 'string',
      required: false,
      datatype_description: `Une ligne, ${OPEN311_LIMITS.maxAttributeString} caractères au plus / One line, at most ${OPEN311_LIMITS.maxAttributeString} characters`,
      order: 3,
      description:
        'Un repère pour le trouver (numéro, poteau, commerce) / A landmark to find it (house number, post, shop)',
    },
  ];
}

/** A validated attribute value: text, a number, a date, or the keys picked from a list. */
export type AttributeValue = string | number | Date | string[];

/** A refusal, naming the attribute as the client sent it (`attribute[danger]`). */
export interface AttributeError {
  field: string;
  message: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function one(def: Open311Attribute, values: string[], errors: AttributeError[]): string | undefined {
  if (values.length > 1) {
    errors.push({ field: `attribute[${def.code}]`, message: 'takes a single value' });
    return undefined;
  }
  return values[0];
}

function parseValue(
  def: Open311Attribute,
  values: string[],
  errors: AttributeError[],
): AttributeValue | undefined {
  const field = `attribute[${def.code}]`;
  const fail = (message: string) => {
    errors.push({ field, message });
    return undefined;
  };
  const keys = new Set((def.values ?? []).map((v) => v.key));
  switch (def.datatype) {
    case 'string': {
      const v = one(def, values, errors);
      if (v === undefined) return undefined;
      if (v.length > OPEN311_LIMITS.maxAttributeString)
        return fail(`must be at most ${OPEN311_LIMITS.maxAttributeString} characters`);
      if (hasControlCharacters(v, false)) return fail('must be one line of text');
      return v.trim();
    }
    case 'text': {
      const v = one(def, values, errors);
      if (v === undefined) return undefined;
      if (v.length > LIMITS.maxDescription)
        return fail(`must be at most ${LIMITS.maxDescription} characters`);
      if (hasControlCharacters(v, true)) return fail('must not contain control characters');
      return v.trim();
    }
    case 'number': {
      const v = one(def, values, errors);
      if (v === undefined) return undefined;
      const n = NUMBER.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isFinite(n)) return fail('must be a number');
      return n;
    }
    case 'datetime': {
      const v = one(def, values, errors);
      if (v === undefined) return undefined;
      const r = W3cDateTime.safeParse(v.trim());
      if (!r.success) return fail(r.error.issues[0]?.message ?? 'must be a W3C date-time');
      return r.data;
    }
    case 'singlevaluelist': {
      const v = one(def, values, errors);
      if (v === undefined) return undefined;
      if (!keys.has(v)) return fail(`must be one of ${[...keys].join(', ')}`);
      return [v];
    }
    case 'multivaluelist': {
      const unknown = values.filter((v) => !keys.has(v));
      if (unknown.length > 0) return fail(`"${unknown[0]}" is not one of ${[...keys].join(', ')}`);
      if (new Set(values).size !== values.length) return fail('lists a value twice');
      return values;
    }
  }
}

/**
 * Checks `attribute[...]` values against a service definition: every code is one of the
 * definition's variable attributes, required ones are there, each value fits its datatype
 * (one line for `string`, a number, a W3C date-time, keys of the list for the list types,
 * several values only for `multivaluelist`). Returns the parsed values and every problem found.
 */
export function validateAttributes(
  definition: readonly Open311Attribute[],
  given: Readonly<Record<string, string[]>>,
): { values: Record<string, AttributeValue>; errors: AttributeError[] } {
  const errors: AttributeError[] = [];
  const values: Record<string, AttributeValue> = {};
  const byCode = new Map(definition.filter((d) => d.variable).map((d) => [d.code, d]));
  const total = Object.values(given).reduce((n, v) => n + v.length, 0);
  if (total > OPEN311_LIMITS.maxAttributeValues) {
    return {
      values,
      errors: [{ field: 'attribute', message: `at most ${OPEN311_LIMITS.maxAttributeValues} values` }],
    };
  }
  for (const code of Object.keys(given)) {
    if (!byCode.has(code))
      errors.push({
        field: `attribute[${code}]`,
        message: `is not an attribute of this service (expected: ${[...byCode.keys()].join(', ')})`,
      });
  }
  for (const def of [...byCode.values()].sort((a, b) => a.order - b.order)) {
    const raw = (given[def.code] ?? []).filter((v) => v.trim() !== '');
    if (raw.length === 0) {
      if (def.required) errors.push({ field: `attribute[${def.code}]`, message: 'is required' });
      continue;
    }
    const v = parseValue(def, raw, errors);
    if (v !== undefined) values[def.code] = v;
  }
  return { values, errors };
}

/** What Vigie's attributes change in the stored report. */
export interface AttributeFacts {
  /** `danger` for "yes", otherwise the category's default priority. */
  priority: Priority;
  /** When the defect was seen (observed_at), or undefined: the time of the request. */
  capturedAt: Date | undefined;
  /** The landmark, or undefined. */
  landmark: string | undefined;
}

/** A few minutes of clock difference between the client and Vigie are tolerated. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Validates the attributes against Vigie's definition and turns them into report facts. A
 * defect cannot have been seen in the future.
 */
export function readVigieAttributes(
  given: Readonly<Record<string, string[]>>,
  defaultPriority: Priority,
  now: Date,
): { facts: AttributeFacts; errors: AttributeError[] } {
  const { values, errors } = validateAttributes(vigieAttributes(), given);
  const seen = values[ATTR.observedAt];
  const capturedAt = seen instanceof Date ? seen : undefined;
  if (capturedAt && capturedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    errors.push({ field: `attribute[${ATTR.observedAt}]`, message: 'is in the future' });
  const danger = values[ATTR.danger];
  const landmark = values[ATTR.landmark];
  return {
    facts: {
      priority: Array.isArray(danger) && danger[0] === 'yes' ? 'danger' : defaultPriority,
      capturedAt,
      landmark: typeof landmark === 'string' && landmark !== '' ? landmark : undefined,
    },
    errors,
  };
}
