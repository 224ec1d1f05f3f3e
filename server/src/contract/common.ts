import { z } from 'zod';

/**
 * Building blocks shared by the request schemas. Form fields arrive as strings (multipart,
 * query strings), so numbers are parsed strictly: "", "NaN", "Infinity" and "1e999" are refused
 * instead of being coerced to 0 or Infinity.
 */
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number within [min, max], given as a number or a decimal string. */
export function finiteNumber(min: number, max: number) {
  return z.union([z.number(), z.string().trim().regex(NUMERIC, 'must be a number').transform(Number)]).pipe(
    z
      .number()
      .refine(Number.isFinite, 'must be a finite number')
      .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`),
  );
}

/** An integer within [min, max], given as a number or a string. */
export function integer(min: number, max: number) {
  return finiteNumber(min, max).refine(Number.isInteger, 'must be an integer');
}

/** Latitude in WGS 84 degrees. */
export const Latitude = finiteNumber(-90, 90);
/** Longitude in WGS 84 degrees. */
export const Longitude = finiteNumber(-180, 180);

/** A client-generated RFC 4122 UUID (any version; `crypto.randomUUID()` gives v4). */
export const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
  .transform((s) => s.toLowerCase());

/** A commune slug in a path or a query. */
export const CommuneSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a commune slug');

/** A point on the map. */
export const LatLon = z.object({ lat: z.number(), lon: z.number() });
export type LatLon = z.infer<typeof LatLon>;

/** Statuses of a report's life cycle (transitions are enforced server-side). */
export const REPORT_STATUSES = [
  'new',
  'acknowledged',
  'planned',
  'in_progress',
  'fixed',
  'not_fixable',
  'duplicate',
  'rejected',
] as const;
export const ReportStatus = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof ReportStatus>;
/** Statuses in which a report still needs work. */
export const OPEN_STATUSES: readonly ReportStatus[] = ['new', 'acknowledged', 'planned', 'in_progress'];

/** How urgent a report is; `danger` is always planned first. */
export const PRIORITIES = ['low', 'normal', 'high', 'danger'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** Where the report's location came from. */
export const LOCATION_SOURCES = ['gps', 'exif', 'manual'] as const;
export const LocationSource = z.enum(LOCATION_SOURCES);
export type LocationSource = z.infer<typeof LocationSource>;

/** Error body of every 4xx/5xx answer. */
export const ErrorBody = z.object({
  error: z.object({
    /** Stable machine-readable code, e.g. `report_not_found`. */
    code: z.string(),
    /** Human-readable explanation. */
    message: z.string(),
    /** The request field at fault, when there is one. */
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
