import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect, inject } from 'vitest';
import { runAdminHere } from './admin-cli';

/** The Open311 GeoReport v2 JSON Schemas (draft 4) beside the repository, byte for byte from open311/schema-validation. */
const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/open311');

const ajv = (() => {
  // strict off: the published schemas put keywords beside $ref (draft 4 ignores them), which strict mode refuses.
  const a = new Ajv({ allErrors: true, strict: false });
  addFormats(a);
  for (const file of [
    'service.json',
    'services.json',
    'service-definition.json',
    'request.json',
    'requests.json',
  ])
    a.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as object, file);
  return a;
})();

/** Which published schema validates which answer. */
export type Open311Schema =
  'services.json' | 'service.json' | 'service-definition.json' | 'requests.json' | 'request.json';

/** Fails the test with ajv's errors unless `value` is valid against the published schema. */
export function expectSchema(schema: Open311Schema, value: unknown): void {
  const validate = ajv.getSchema(schema);
  if (!validate) throw new Error(`no schema ${schema}`);
  const ok = validate(value);
  expect(ok, `${schema}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Elements that are lists in Open311's XML, so one item still parses as an array. */
const XML_LISTS = new Set(['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format']);
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => XML_LISTS.has(name) });

/** Parses an XML answer after checking it is well-formed and starts with the UTF-8 declaration. */
export function parseXml(text: string): Record<string, unknown> {
  expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text) as Record<string, unknown>;
}

/** An Open311 answer, read once. */
export interface O311Answer {
  status: number;
  headers: Headers;
  text: string;
  contentType: string;
  /** The JSON body, for .json resources (and JSON errors). */
  json: unknown;
}

/** GET (or another method) on the server's Open311 endpoint. */
export async function o311(base: string, pathAndQuery: string, init: RequestInit = {}): Promise<O311Answer> {
  const res = await fetch(`${base}/open311/v2/${pathAndQuery}`, init);
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.startsWith('application/json')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, contentType, json };
}

/** A form body as clients send it; an array value is sent as repeated fields. */
export function form(fields: Record<string, string | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  return p.toString();
}

/** POST requests.{format} with a form-encoded body. */
export function postRequest(
  base: string,
  fields: Record<string, string | string[] | undefined>,
  format: 'json' | 'xml' = 'json',
  query = '',
): Promise<O311Answer> {
  return o311(base, `requests.${format}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form(fields),
  });
}

/** Issues an API key with the admin CLI (`npm run admin -- open311:key`), as an administrator would. */
export async function issueKey(
  slug: string,
  label?: string,
): Promise<{ key: string; id: number; stdout: string }> {
  const r = await runAdminHere(['open311:key', '--commune', slug, ...(label ? ['--label', label] : [])], {
    env: { DATABASE_URL: inject('databaseUrl') },
  });
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  const id = Number(/key (\d+)/.exec(lines[0] ?? '')?.[1]);
  return { key: lines[lines.length - 1]!, id, stdout: r.stdout };
}

/** Expects an Open311 error answer: the status, JSON `[{code, description}]` matching `description`. */
export function expectError(a: O311Answer, status: number, description: RegExp): void {
  expect(a.status, a.text).toBe(status);
  expect(a.contentType).toMatch(/^application\/json/);
  const errors = a.json as Array<{ code: number; description: string }>;
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e.code).toBe(status);
  expect(errors.map((e) => e.description).join(' | ')).toMatch(description);
}
