import type { z } from 'zod';
import { ReportFilter } from './filters';

/**
 * Exports of the town hall's filtered list: `GET /api/reports/export.csv` and
 * `GET /api/reports/export.geojson` take exactly the list's filter, so the file holds the
 * reports the list shows (all of them, not a page).
 */

/** The file formats. */
export const EXPORT_FORMATS = ['csv', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Query of the export routes: the shared report filter (no paging). */
export const ExportQuery = ReportFilter;
export type ExportQuery = z.infer<typeof ExportQuery>;

/** Above this many rows the screen warns that the file is large (it is streamed anyway). */
export const LARGE_EXPORT_ROWS = 10_000;
