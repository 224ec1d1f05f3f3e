import { z } from 'zod';
import { CommuneSlug, Latitude, Longitude, Priority, type LatLon } from './common';
import { IsoDate } from './plans';
import { Bbox, StatusList } from './reports';

/**
 * The filters of the town hall's report list, shared by everything that works on "a filtered
 * list": the list and its map clusters, the CSV and GeoJSON exports, the statistics (each
 * figure links to its list). One schema, so an export always holds exactly what the list shows.
 */

const CODE = /^[a-z0-9_]{1,40}$/;

/** Comma-separated category codes, e.g. `pothole,road_surface`. */
export const CategoryList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(z.string().regex(CODE, 'must be category codes')).min(1).max(50));

/** Comma-separated priorities, e.g. `high,danger`. */
export const PriorityList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(Priority).min(1));

/** Most vertices an area drawn on the map may have. */
export const MAX_AREA_VERTICES = 200;

/**
 * An area drawn on the map: `lon,lat;lon,lat;...` (at least 3 vertices, at most 200; the ring
 * is closed automatically). Given as a GeoJSON Polygon geometry.
 */
export const Area = z
  .string()
  .max(MAX_AREA_VERTICES * 30)
  .transform((s, ctx) => {
    const points: LatLon[] = [];
    for (const pair of s.split(';')) {
      const [lon, lat] = pair.split(',');
      const la = Latitude.safeParse(lat);
      const lo = Longitude.safeParse(lon);
      if (!la.success || !lo.success || pair.split(',').length !== 2) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be lon,lat pairs separated by ";" within WGS 84 bounds',
        });
        return z.NEVER;
      }
      points.push({ lat: la.data, lon: lo.data });
    }
    if (points.length < 3 || points.length > MAX_AREA_VERTICES) {
      ctx.addIssue({ code: 'custom', message: `must have between 3 and ${MAX_AREA_VERTICES} vertices` });
      return z.NEVER;
    }
    const ring = points.map((p) => [p.lon, p.lat] as [number, number]);
    const [first, last] = [ring[0]!, ring[ring.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1]) ring.push(first);
    return { type: 'Polygon' as const, coordinates: [ring] };
  });
export type Area = z.infer<typeof Area>;

/** The filter fields (an object schema to extend with paging, formats...). */
export const ReportFilterFields = z
  .object({
    /** Only this commune (one of the user's); all of the user's communes when absent. */
    commune: CommuneSlug.optional(),
    /** Only reports in these statuses (comma-separated). */
    status: StatusList.optional(),
    /** Only these categories (comma-separated codes). */
    category: CategoryList.optional(),
    /** Only these priorities (comma-separated). */
    priority: PriorityList.optional(),
    /** Received on or after this day (YYYY-MM-DD, in the commune's time zone). */
    from: IsoDate.optional(),
    /** Received on or before this day (YYYY-MM-DD, in the commune's time zone). */
    to: IsoDate.optional(),
    /** Words in the address or the description (accents and case ignored), or the start of a report id. */
    q: z.string().trim().min(1).max(200).optional(),
    /** Part of the address, e.g. `rue de l'eglise` (accents and case ignored). */
    address: z.string().trim().min(2).max(200).optional(),
    /** Only inside this area drawn on the map (`lon,lat;lon,lat;...`). */
    area: Area.optional(),
    /** Only inside this rectangle (`minLon,minLat,maxLon,maxLat`), e.g. the map's viewport. */
    bbox: Bbox.optional(),
  })
  .strict();

/** Refuses a date range that ends before it starts (add to every schema built on the fields). */
export function checkFilterDates(
  f: { from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (f.from && f.to && f.from > f.to) {
    ctx.addIssue({ code: 'custom', message: 'must not be before "from"', path: ['to'] });
  }
}

/** A report filter, validated. */
export const ReportFilter = ReportFilterFields.superRefine(checkFilterDates);
export type ReportFilter = z.infer<typeof ReportFilterFields>;
