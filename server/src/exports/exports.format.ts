import { CSV_BOM, csvLine, type CsvValue } from './csv';

/**
 * What an exported report holds, and how it is written as a CSV line or a GeoJSON feature.
 * Pure: rows in, text out. Photos are never exported; the reporter's contact email only in the
 * admins' exports (the column does not exist in the others).
 */

/** A report as the export query reads it. */
export interface ExportRow {
  id: string;
  commune: string;
  /** Local time of the commune, `YYYY-MM-DD HH:MM:SS` (what spreadsheets read as a date). */
  receivedLocal: string;
  /** UTC, ISO 8601 (`...Z`). */
  receivedUtc: string;
  status: string;
  priority: string;
  category: string;
  categoryLabel: string;
  address: string | null;
  description: string | null;
  publicDescription: string | null;
  /** WGS 84, 6 decimals (about 10 cm). */
  lat: number;
  lon: number;
  accuracyM: number;
  locationSource: string;
  closedLocal: string | null;
  closedUtc: string | null;
  statusReason: string | null;
  duplicateOf: string | null;
  hidden: boolean;
  /** Null when the caller may not export contact data for the report's commune. */
  contactEmail: string | null;
}

/** The columns, in order (the CSV header; the GeoJSON properties use the same names). */
export const EXPORT_COLUMNS = [
  'id',
  'commune',
  'received_at',
  'status',
  'priority',
  'category',
  'category_label',
  'address',
  'description',
  'public_description',
  'lat',
  'lon',
  'accuracy_m',
  'location_source',
  'closed_at',
  'status_reason',
  'duplicate_of',
  'hidden',
] as const;
/** The column added for admins. */
export const CONTACT_COLUMN = 'contact_email';

/** The first bytes of a CSV export: the byte order mark and the header line. */
export function csvHeader(withContact: boolean): string {
  return CSV_BOM + csvLine(withContact ? [...EXPORT_COLUMNS, CONTACT_COLUMN] : [...EXPORT_COLUMNS]);
}

/** A report as a CSV line (times local to the commune). */
export function csvRow(r: ExportRow, withContact: boolean): string {
  const values: CsvValue[] = [
    r.id,
    r.commune,
    r.receivedLocal,
    r.status,
    r.priority,
    r.category,
    r.categoryLabel,
    r.address,
    r.description,
    r.publicDescription,
    r.lat,
    r.lon,
    r.accuracyM,
    r.locationSource,
    r.closedLocal,
    r.statusReason,
    r.duplicateOf,
    r.hidden,
  ];
  if (withContact) values.push(r.contactEmail);
  return csvLine(values);
}

/** The text before the first feature of a GeoJSON export (RFC 7946 FeatureCollection). */
export const GEOJSON_HEAD = '{"type":"FeatureCollection","features":[\n';
/** The text after the last feature. */
export const GEOJSON_TAIL = '\n]}\n';
/** Between two features. */
export const GEOJSON_SEPARATOR = ',\n';

/** A report as a GeoJSON Point feature ([lon, lat], WGS 84; times in UTC). */
export function geojsonFeature(r: ExportRow, withContact: boolean): string {
  return JSON.stringify({
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: {
      id: r.id,
      commune: r.commune,
      received_at: r.receivedUtc,
      status: r.status,
      priority: r.priority,
      category: r.category,
      category_label: r.categoryLabel,
      address: r.address,
      description: r.description,
      public_description: r.publicDescription,
      accuracy_m: r.accuracyM,
      location_source: r.locationSource,
      closed_at: r.closedUtc,
      status_reason: r.statusReason,
      duplicate_of: r.duplicateOf,
      hidden: r.hidden,
      ...(withContact ? { contact_email: r.contactEmail } : {}),
    },
  });
}
