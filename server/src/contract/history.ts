import { z } from 'zod';
import { integer, ReportStatus } from './common';
import { checkFilterDates, ReportFilterFields } from './filters';
import { Bbox } from './reports';

/**
 * The town hall's history screen: map clusters of a filtered list (per viewport), the size of
 * a filtered list, and the reports related to one report (its duplicates, the report it
 * duplicates, the reports near it).
 */

/** Map zoom levels the clusters accept (Web Mercator tile zooms, as Leaflet counts them). */
export const MIN_CLUSTER_ZOOM = 0;
export const MAX_CLUSTER_ZOOM = 22;

/** Query of `GET /api/staff/reports/clusters`: the shared filter, the map's viewport and zoom. */
export const ClustersQuery = ReportFilterFields.extend({
  /** The map's viewport `minLon,minLat,maxLon,maxLat` (required: clusters are loaded per view). */
  bbox: Bbox,
  /** The map's zoom level: decides the size of the cells reports are grouped in. */
  zoom: integer(MIN_CLUSTER_ZOOM, MAX_CLUSTER_ZOOM),
}).superRefine(checkFilterDates);
export type ClustersQuery = z.infer<typeof ClustersQuery>;

/** A cell of the map holding at least one report. */
export const ClusterCell = z.object({
  /** Mean position of the cell's reports: where the marker goes. */
  lat: z.number(),
  lon: z.number(),
  /** How many reports of the filter the cell holds. */
  count: z.number().int(),
  /** The report, when the cell holds only one (the marker opens its page). */
  report: z.object({ id: z.string(), status: ReportStatus, category: z.string() }).nullable(),
});
export type ClusterCell = z.infer<typeof ClusterCell>;

/** Answer of `GET /api/staff/reports/clusters`. */
export const ClustersAnswer = z.object({
  cells: z.array(ClusterCell),
  /** Sum of the cells' counts: the reports of the filter inside `bbox`. */
  total: z.number().int(),
  /** The rectangle actually counted: the viewport widened to whole cells, so a cell's count never depends on where the view cuts it. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** Cell size, degrees of longitude and latitude. */
  cellSize: z.object({ lon: z.number(), lat: z.number() }),
});
export type ClustersAnswer = z.infer<typeof ClustersAnswer>;

/** Counts above this are answered as "more than" (a count never walks a whole table). */
export const COUNT_CAP = 10_000;

/** Query of `GET /api/staff/reports/count`: the shared filter. */
export const CountQuery = ReportFilterFields.superRefine(checkFilterDates);

/** Answer of `GET /api/staff/reports/count`. */
export const CountAnswer = z.object({
  /** Reports matching the filter, at most COUNT_CAP. */
  count: z.number().int(),
  /** True when there are more than `count` (COUNT_CAP was reached). */
  capped: z.boolean(),
});
export type CountAnswer = z.infer<typeof CountAnswer>;

/** How far from a report its "nearby reports" are looked for, metres. */
export const RELATED_NEARBY_METRES = 100;
/** At most this many duplicates and nearby reports are listed on a report's page (nearest / oldest first). */
export const MAX_RELATED = 50;

/** A report listed on another's page: enough to recognise it and open it. */
export const RelatedReport = z.object({
  id: z.string(),
  status: ReportStatus,
  category: z.object({ code: z.string(), labelFr: z.string(), labelEn: z.string() }),
  address: z.string().nullable(),
  /** UTC, ISO 8601. */
  receivedAt: z.string(),
  /** Distance from the report whose page lists it, metres. */
  distanceMetres: z.number(),
});
export type RelatedReport = z.infer<typeof RelatedReport>;

/** The reports related to one report, as its staff page lists them. */
export const RelatedReports = z.object({
  /** The report that is kept, when this one is a duplicate. */
  keptReport: RelatedReport.nullable(),
  /** The reports marked as duplicates of this one, oldest first. */
  duplicates: z.array(RelatedReport),
  /** Other reports of the commune within RELATED_NEARBY_METRES, any status, nearest first. */
  nearby: z.array(RelatedReport),
});
export type RelatedReports = z.infer<typeof RelatedReports>;
