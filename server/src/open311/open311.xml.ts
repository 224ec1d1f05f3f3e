/**
 * Open311's XML, derived from the JSON answer by the Spark convention the specification names
 * (http://wiki.open311.org/JSON_and_XML_Conversion): an object's keys become child elements in
 * order, an array becomes a wrapper element holding one element per item (`services` holds
 * `service` elements, `attributes` holds `attribute`...), null an empty element. Building the XML
 * from the very value sent as JSON keeps the two formats identical. Pure: no I/O.
 */

/** A JSON value as the Open311 answers hold them. */
export type SparkValue =
  string | number | boolean | null | undefined | SparkValue[] | { [k: string]: SparkValue };

/** Element name of the items of each array, by the array's element name (the specification's). */
export const SPARK_ITEMS: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** Whether XML 1.0 can carry a code point at all, even escaped (its `Char` production). */
function isXmlChar(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/**
 * Text content escaped for XML; characters XML cannot represent (C0 controls but tab, line feed
 * and carriage return, U+FFFE/U+FFFF, lone surrogates) are dropped.
 */
export function escapeXml(text: string): string {
  let clean = '';
  // for...of walks code points: a lone surrogate comes out on its own, a pair as one.
  for (const ch of text) if (isXmlChar(ch.codePointAt(0)!)) clean += ch;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: SparkValue, indent: string, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === undefined) return;
  if (value === null || value === '') {
    out.push(`${indent}<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = SPARK_ITEMS[name];
    if (!item) throw new Error(`no item element name for the array ${name}`);
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) element(item, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const [k, v] of entries) element(k, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite number in ${name}`);
  out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
}

/**
 * A whole XML document (UTF-8 declaration first, as the specification requires) for a JSON
 * answer: `toXml('services', [...])` gives `<services><service>...</service></services>`,
 * `toXml('service_definition', {...})` gives `<service_definition>...</service_definition>`.
 */
export function toXml(root: string, value: SparkValue): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  element(root, value, '', out);
  return `${out.join('\n')}\n`;
}
