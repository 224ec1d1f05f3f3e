import { z } from 'zod';
import { Uuid } from './common';
import { LIMITS } from './limits';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), served under `/open311/v2/`.
 * Field names are the specification's, snake_case. Parameters arrive as strings (query string,
 * form body); an empty parameter counts as absent ("Optional Arguments" in the specification),
 * a list parameter may be comma-separated or repeated.
 */

/** The two output formats, chosen by the resource's extension (`services.xml`, `services.json`). */
export const Open311Format = z.enum(['xml', 'json']);
export type Open311Format = z.infer<typeof Open311Format>;

/** Limits of the Open311 server (the specification's and Vigie's own). */
export const OPEN311_LIMITS = {
  /** Requests listed at most (the specification's default limit). */
  maxRequests: 1000,
  /** Longest window of a requests query, and its default (the most recent days), days. */
  windowDays: 90,
  /** Ids in one comma-separated `service_request_id`. */
  maxIds: 1000,
  /** A typed address (`address_string`). */
  maxAddress: 250,
  /** A media URL. */
  maxUrl: 2000,
  /** Contact fields that are accepted and discarded (first_name, phone...). */
  maxDiscarded: 200,
  /** A `string` attribute value (no line breaks). */
  maxAttributeString: 200,
  /** Attribute values in one request. */
  maxAttributeValues: 50,
  /** The form body, bytes. */
  maxBodyBytes: 32 * 1024,
} as const;

/** `jurisdiction_id`: the commune's slug. */
export const JurisdictionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a commune slug (lower-case letters, digits, dashes)');

/** `service_code`: a category code of the commune. */
export const ServiceCode = z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be a service code from services');

const W3C_DATETIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(?:Z|[+-](\d\d):(\d\d))$/;

/** Whether the fields of a W3C date-time exist on the calendar and the clock (no 30 February, no 24:00). */
function realDateTime(s: string): boolean {
  const m = W3C_DATETIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return (
    mo! >= 1 &&
    mo! <= 12 &&
    d! >= 1 &&
    d! <= days &&
    h! <= 23 &&
    mi! <= 59 &&
    sec! <= 59 &&
    oh! <= 14 &&
    om! <= 59
  );
}

/**
 * A W3C date-time with its time zone (`2010-01-01T00:00:00Z`, `2010-01-01T01:00:00+01:00`):
 * the specification requires the zone; a date without time or zone is refused.
 */
export const W3cDateTime = z
  .string()
  .regex(W3C_DATETIME, 'must be a W3C date-time with a time zone, e.g. 2010-01-01T00:00:00Z')
  .refine(realDateTime, 'is not a valid date and time')
  .transform((s) => new Date(s));

/** A decimal number in [min, max], as form fields carry them ("48.1", "-2.5", "1e-3"). */
function decimal(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(
      z
        .number()
        .refine(Number.isFinite, 'must be a finite number')
        .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`),
    );
}

/** An empty parameter is an absent one. */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}

/** A parameter that must be given once (a repeated one is refused, not silently reduced). */
function once<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (v) => v,
    z.custom<unknown>((v) => !Array.isArray(v), 'must be given once').pipe(schema),
  );
}

/** A list parameter: comma-separated and/or repeated; blanks ignored; at least one item. */
function list<S extends z.ZodType>(item: S, max: number) {
  return z.preprocess(
    (v) => {
      const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [x]));
      const items = parts.map((p) => (typeof p === 'string' ? p.trim() : p)).filter((p) => p !== '');
      return items.length === 0 ? undefined : items;
    },
    z.array(item).max(max, `at most ${max} values`).optional(),
  );
}

/** `api_key` may ride along on any call; reads ignore it. */
const IgnoredApiKey = optional(z.unknown());

/** Query of `discovery`, `services` and `services/{service_code}`. */
export const Open311JurisdictionQuery = z
  .object({
    /** The commune's slug; only needed when the deployment serves several communes. */
    jurisdiction_id: optional(once(JurisdictionId)),
    /** Ignored on reads. */
    api_key: IgnoredApiKey,
  })
  .strict();
export type Open311JurisdictionQuery = z.infer<typeof Open311JurisdictionQuery>;

/** Query of `GET requests`. */
export const Open311RequestsQuery = z
  .object({
    /** The commune's slug; only needed when the deployment serves several communes. */
    jurisdiction_id: optional(once(JurisdictionId)),
    /** Comma-separated ids; when given, every other filter is ignored (the specification says so). */
    service_request_id: list(Uuid, OPEN311_LIMITS.maxIds),
    /** Comma-separated service codes. */
    service_code: list(ServiceCode, 100),
    /** Earliest requested_datetime (W3C date-time with zone). */
    start_date: optional(once(W3cDateTime)),
    /** Latest requested_datetime (W3C date-time with zone); at most 90 days after start_date. */
    end_date: optional(once(W3cDateTime)),
    /** `open`, `closed` or both, comma-separated. */
    status: list(z.enum(['open', 'closed']), 2),
    /** Ignored on reads. */
    api_key: IgnoredApiKey,
  })
  .strict();
export type Open311RequestsQuery = z.infer<typeof Open311RequestsQuery>;

/** Path of `services/{service_code}.{format}`. */
export const Open311ServiceParams = z.object({ service_code: ServiceCode, format: Open311Format });

/** Path of `requests/{service_request_id}.{format}`. */
export const Open311RequestParams = z.object({ service_request_id: Uuid, format: Open311Format });

/**
 * Whether text holds a control character (C0 or DEL): none is allowed in one line of text; tab,
 * line feed and carriage return are allowed in `multiline` text.
 */
export function hasControlCharacters(s: string, multiline: boolean): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x7f || (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d)))) return true;
  }
  return false;
}

/** Text that must not carry control characters (line breaks allowed where `multiline`). */
function text(max: number, multiline = false) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (s) => !hasControlCharacters(s, multiline),
      multiline ? 'must not contain control characters' : 'must be one line of text',
    );
}

/**
 * Fields of `POST requests` (application/x-www-form-urlencoded), `attribute[...]` taken apart
 * beforehand (see `splitAttributes`). The location is `lat` + `long` or `address_string`;
 * `address_id` is not supported. `first_name`, `last_name`, `phone`, `device_id` and
 * `account_id` are accepted (clients send them) and never stored.
 */
export const Open311PostFields = z
  .object({
    /** The key issued to this client for this commune (`npm run admin -- open311:key`). */
    api_key: optional(once(z.string().max(200))),
    /** The commune's slug; defaults to the commune of the api_key. */
    jurisdiction_id: optional(once(JurisdictionId)),
    /** A service code from `services`. */
    service_code: once(ServiceCode),
    /** WGS 84 latitude; with `long`. */
    lat: optional(once(decimal(-90, 90))),
    /** WGS 84 longitude; with `lat`. */
    long: optional(once(decimal(-180, 180))),
    /** A typed address of the commune, geocoded with its local address table. */
    address_string: optional(once(text(OPEN311_LIMITS.maxAddress))),
    /** Not supported (Vigie has no master address ids): refused with a clear message. */
    address_id: optional(once(z.string().max(OPEN311_LIMITS.maxDiscarded))),
    /** Where to tell the person the defect is fixed (stored as the report's contact email). */
    email: optional(once(z.email('must be an email address').max(LIMITS.maxEmail))),
    /** Accepted, not stored (data minimisation). */
    device_id: optional(once(text(OPEN311_LIMITS.maxDiscarded))),
    /** Accepted, not stored. */
    account_id: optional(once(text(OPEN311_LIMITS.maxDiscarded))),
    /** Accepted, not stored. */
    first_name: optional(once(text(OPEN311_LIMITS.maxDiscarded))),
    /** Accepted, not stored. */
    last_name: optional(once(text(OPEN311_LIMITS.maxDiscarded))),
    /** Accepted, not stored. */
    phone: optional(once(text(OPEN311_LIMITS.maxDiscarded))),
    /** What the person saw; line breaks allowed. Vigie keeps at most 2000 characters. */
    description: optional(once(text(LIMITS.maxDescription, true))),
    /** A photo to download (only where the commune allows it; http or https). */
    media_url: optional(
      once(
        z
          .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
          .max(OPEN311_LIMITS.maxUrl, `must be at most ${OPEN311_LIMITS.maxUrl} characters`),
      ),
    ),
  })
  .strict()
  .superRefine((f, ctx) => {
    if ((f.lat === undefined) !== (f.long === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [f.lat === undefined ? 'lat' : 'long'],
        message: 'lat and long go together: send both',
      });
  });
export type Open311PostFields = z.infer<typeof Open311PostFields>;

const ATTRIBUTE_KEY = /^attribute\[([^\]]*)\](\[\])?$/;

/**
 * Takes `attribute[code]=v` and `attribute[code][]=v` (repeated for a multivaluelist) out of a
 * form body: the other fields, and each attribute's values in order. A malformed attribute key
 * is reported in `badKeys`.
 */
export function splitAttributes(body: Record<string, unknown>): {
  fields: Record<string, unknown>;
  attributes: Record<string, string[]>;
  badKeys: string[];
} {
  const fields: Record<string, unknown> = {};
  const attributes: Record<string, string[]> = {};
  const badKeys: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('attribute')) {
      fields[key] = value;
      continue;
    }
    const m = ATTRIBUTE_KEY.exec(key);
    const code = m?.[1];
    if (!code || !/^[A-Za-z0-9_-]{1,60}$/.test(code)) {
      badKeys.push(key);
      continue;
    }
    const values = (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
    if (values.length > 0) attributes[code] = [...(attributes[code] ?? []), ...values];
  }
  return { fields, attributes, badKeys };
}

/** The datatypes of service attributes. */
export const ATTRIBUTE_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

/** One entry of `services`. */
export const Open311Service = z.object({
  /** The category code. */
  service_code: z.string(),
  /** The category's French label. */
  service_name: z.string(),
  /** The category's English label (the French one is the name). */
  description: z.string().nullable(),
  /** Always true: every service has a definition (see `services/{service_code}`). */
  metadata: z.boolean(),
  /** Always `realtime`: the service_request_id comes back at once. */
  type: z.enum(['realtime', 'batch', 'blackbox']),
  /** Comma-separated synonyms: English label, code, work type. */
  keywords: z.string().nullable(),
  /** The category's work type (what the crew loads in the truck). */
  group: z.string().nullable(),
});
export type Open311Service = z.infer<typeof Open311Service>;

/** One attribute of a service definition. */
export const Open311Attribute = z.object({
  /** True: the person gives a value; false: information shown only. */
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(ATTRIBUTE_DATATYPES),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export type Open311Attribute = z.infer<typeof Open311Attribute>;

/** `services/{service_code}`. */
export const Open311ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(Open311Attribute),
});
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinition>;

/** One service request (a Vigie report, public fields only). */
export const Open311Request = z.object({
  /** The report's UUID. */
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  /** Why it is closed (rejection or not-fixable reason, duplicate), or the latest public update. */
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  /** The public text (moderated where the town hall edited it). */
  description: z.string().nullable(),
  /** The commune's name. */
  agency_responsible: z.string(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  /** Last change; for a closed request, when it was closed. */
  updated_datetime: z.string(),
  /** The day of the published round that holds it (midnight, commune time), if any. */
  expected_datetime: z.string().nullable(),
  /** Nearest address of the commune's address table. */
  address: z.string().nullable(),
  address_id: z.null(),
  zipcode: z.null(),
  lat: z.number(),
  long: z.number(),
  /** The first photo's public URL, only when the public may see it. */
  media_url: z.string().nullable(),
});
export type Open311Request = z.infer<typeof Open311Request>;

/** Answer of `POST requests`: one entry. */
export const Open311PostAnswer = z.object({
  service_request_id: z.string(),
  service_notice: z.string().nullable(),
  /** Never set: Vigie has no client accounts. */
  account_id: z.null(),
});
export type Open311PostAnswer = z.infer<typeof Open311PostAnswer>;

/** One error of an Open311 error answer (always an array of these). */
export const Open311Error = z.object({
  /** The HTTP status. */
  code: z.number().int(),
  /** What went wrong, for the person using the client. */
  description: z.string(),
});
export type Open311Error = z.infer<typeof Open311Error>;

/** `discovery` (Open311 Service Discovery). */
export const Open311Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
export type Open311Discovery = z.infer<typeof Open311Discovery>;
