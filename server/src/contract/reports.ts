import { z } from 'zod';
import {
  finiteNumber,
  integer,
  Latitude,
  LocationSource,
  Longitude,
  Priority,
  ReportStatus,
  Uuid,
} from './common';
import { LIMITS } from './limits';
import { ContactLocale } from './privacy';

/** Path parameter of `/api/reports/:id`. */
export const ReportIdParams = z.object({
  /** The client-generated UUID of the report. */
  id: Uuid,
});

/** Header carrying the device's reporter secret. */
export const REPORTER_TOKEN_HEADER = 'x-reporter-token';

/** The reporter secret a device keeps (random, at least 32 characters, printable ASCII). */
export const ReporterToken = z
  .string()
  .min(LIMITS.minReporterToken, `must be at least ${LIMITS.minReporterToken} characters`)
  .max(LIMITS.maxReporterToken)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Text fields of `PUT /api/reports/:id` (multipart/form-data; the photos travel in `photos`). */
export const CreateReportFields = z
  .object({
    /** Category code of the commune, e.g. `pothole`. */
    category: z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be a category code'),
    /** Latitude of the defect (WGS 84). */
    lat: Latitude,
    /** Longitude of the defect (WGS 84). */
    lon: Longitude,
    /** Horizontal accuracy of the location, metres. */
    accuracy: finiteNumber(0, LIMITS.maxAccuracyMetres),
    /** Where the location came from. */
    locationSource: LocationSource,
    /** When the photo was taken or the report written (ISO 8601 with offset). */
    capturedAt: z.iso.datetime({ offset: true }),
    /** What the resident saw (optional). */
    description: z
      .string()
      .max(LIMITS.maxDescription, `must be at most ${LIMITS.maxDescription} characters`)
      .optional(),
    /** Where to tell the resident the defect is fixed (optional). */
    contactEmail: z.email().max(LIMITS.maxEmail).optional(),
    /** The app's language when the report was sent: notification emails are written in it. */
    locale: ContactLocale.optional(),
  })
  .strict();
export type CreateReportFields = z.infer<typeof CreateReportFields>;

/** Comma-separated report statuses of a list filter, e.g. `new,acknowledged`. */
export const StatusList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(ReportStatus).min(1));

/** Page size of keyset-paginated lists. */
export const PageLimit = integer(1, LIMITS.maxPageSize).default(LIMITS.defaultPageSize);

/** Opaque keyset cursor: the previous page's `nextCursor`. */
export const PageCursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page');

/** A lon/lat rectangle `minLon,minLat,maxLon,maxLat` (WGS 84), e.g. a map viewport. */
export const Bbox = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim());
  const nums = parts.map((p) => (/^[+-]?\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
  const [minLon, minLat, maxLon, maxLat] = nums as [number, number, number, number];
  if (
    nums.length !== 4 ||
    nums.some((n) => !Number.isFinite(n)) ||
    minLon < -180 ||
    maxLon > 180 ||
    minLat < -90 ||
    maxLat > 90 ||
    minLon > maxLon ||
    minLat > maxLat
  ) {
    ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat within WGS 84 bounds' });
    return z.NEVER;
  }
  return { minLon, minLat, maxLon, maxLat };
});
export type Bbox = z.infer<typeof Bbox>;

/** Query of `GET /api/reports`. */
export const ListReportsQuery = z
  .object({
    /** `minLon,minLat,maxLon,maxLat` (WGS 84). */
    bbox: Bbox.optional(),
    /** Only reports in these statuses (comma-separated). */
    status: StatusList.optional(),
    /** Only this category code. */
    category: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/, 'must be a category code')
      .optional(),
    /** Page size. */
    limit: PageLimit,
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: PageCursor.optional(),
  })
  .strict();
export type ListReportsQuery = z.infer<typeof ListReportsQuery>;

/** Query of `GET /api/reports/nearby`. */
export const NearbyQuery = z
  .object({
    /** Latitude of the point (WGS 84). */
    lat: Latitude,
    /** Longitude of the point (WGS 84). */
    lon: Longitude,
    /** Only this category code (optional). */
    category: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/, 'must be a category code')
      .optional(),
  })
  .strict();

/** Query of `GET /api/reports/:id/photos/:n`. */
export const PhotoParams = z.object({
  /** The report's UUID. */
  id: Uuid,
  /** Photo position, 1-based. */
  n: integer(1, LIMITS.maxPhotos),
});
export const PhotoQuery = z
  .object({
    /** `thumb` for the 320 px thumbnail. */
    size: z.enum(['full', 'thumb']).default('full'),
    /**
     * `1`: the original of a redacted photo, for the commune's admins only (anybody else gets the
     * 404 of a missing photo). Without it everybody gets the redacted rendition.
     */
    original: z.enum(['0', '1']).optional(),
    /**
     * The rendition's version, as the report views give it in photo URLs (ignored by the
     * server): a redaction changes the URL, so no browser shows a copy from before it.
     */
    v: z
      .string()
      .regex(/^[0-9a-f]{1,64}$/, 'must be a version from a photo URL')
      .optional(),
  })
  .strict();

/** A photo as the reporter (and, later, staff) see it. */
export const PhotoView = z.object({
  /** 1-based position. */
  n: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** Authorised URL of the full photo. */
  url: z.string(),
  /** Authorised URL of the thumbnail. */
  thumbUrl: z.string(),
});
export type PhotoView = z.infer<typeof PhotoView>;

/** One entry of a report's public history. */
export const ReportEventView = z.object({
  at: z.string(),
  /** `created`, `status_changed`, `moderated`, `public_update` (a message from the town hall)... */
  action: z.string(),
  fromStatus: ReportStatus.nullable(),
  toStatus: ReportStatus.nullable(),
  /** The town hall's message of a `public_update`; null for other entries. */
  text: z.string().nullable(),
  /** Why the report was rejected or is not fixable (written for the resident); null otherwise. */
  reason: z.string().nullable(),
});
export type ReportEventView = z.infer<typeof ReportEventView>;

/** Fields anybody may see. No contact data, no photos. */
export const PublicReport = z.object({
  id: z.string(),
  commune: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
  category: z.object({ code: z.string(), labelFr: z.string(), labelEn: z.string() }),
  lat: z.number(),
  lon: z.number(),
  accuracy: z.number(),
  locationSource: LocationSource,
  status: ReportStatus,
  priority: Priority,
  description: z.string().nullable(),
  capturedAt: z.string(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  photoCount: z.number().int(),
  /** The nearest address when the report was made or moved, e.g. "12 Rue de l'Église" (null far from any). */
  address: z.string().nullable(),
  /**
   * The photos anybody may see (the commune shows photos publicly, a moderator approved them,
   * neither they nor the report are hidden); empty otherwise. Redacted where a moderator redacted.
   */
  publicPhotos: z.array(PhotoView),
});
export type PublicReport = z.infer<typeof PublicReport>;

/**
 * What the holder of the reporter token sees of their own report: everything they sent
 * (`description` is their own text, even when the public sees an edited one), whether the
 * public sees it, and why it was closed.
 */
export const OwnReport = PublicReport.extend({
  /** The text the public sees instead of the description, when the town hall edited it; null otherwise. */
  publicDescription: z.string().nullable(),
  /** True when the town hall hid the report from the public (the resident still sees it here). */
  hidden: z.boolean(),
  /** Why it was rejected or is not fixable; null otherwise. */
  statusReason: z.string().nullable(),
  contactEmail: z.string().nullable(),
  photos: z.array(PhotoView),
  history: z.array(ReportEventView),
});
export type OwnReport = z.infer<typeof OwnReport>;

/** A page of reports. */
export const ReportPage = z.object({
  items: z.array(PublicReport),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ReportPage = z.infer<typeof ReportPage>;

/** A nearby open report, for the "already reported" hint. */
export const NearbyReport = PublicReport.extend({ distanceMetres: z.number() });
export type NearbyReport = z.infer<typeof NearbyReport>;
