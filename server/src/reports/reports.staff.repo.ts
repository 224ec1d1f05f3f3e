import type { Queryable } from '../db';
import type { ReportStatus } from '../contract/common';
import { SELECT_REPORT, toReport, type ReportDbRow, type ReportRow } from './reports.repo';
import type { StaffEventView } from '../contract/staff';

/**
 * The staff side of reports: every query is scoped by the commune ids the caller may see,
 * decided by the auth policy before the query runs.
 */

/** A report's commune, for authorisation before anything else is read. */
export async function findReportCommune(db: Queryable, id: string): Promise<number | undefined> {
  const { rows } = await db.query<{ commune_id: number }>('SELECT commune_id FROM reports WHERE id = $1', [
    id,
  ]);
  return rows[0]?.commune_id;
}

/** A listed report with its keyset position and contact data (dropped for crews by the service). */
export type StaffListRow = ReportRow;

/** Filters of the staff list. `communeIds: 'all'` only for superadmins. */
export interface StaffListFilter {
  communeIds: 'all' | readonly number[];
  statuses?: readonly ReportStatus[] | undefined;
  limit: number;
  after?: { at: string; id: string } | undefined;
}

/** A page of the reports of the given communes, newest first; fetches limit + 1. */
export async function listStaffReports(db: Queryable, f: StaffListFilter): Promise<StaffListRow[]> {
  const { rows } = await db.query<ReportDbRow>(
    `${SELECT_REPORT}
      WHERE ($1::boolean OR r.commune_id = ANY($2::int[]))
        AND ($3::text[] IS NULL OR r.status = ANY($3::text[]))
        AND ($4::timestamptz IS NULL OR (r.received_at, r.id) < ($4::timestamptz, $5::uuid))
      ORDER BY r.received_at DESC, r.id DESC
      LIMIT $6`,
    [
      f.communeIds === 'all',
      f.communeIds === 'all' ? [] : f.communeIds,
      f.statuses ?? null,
      f.after?.at ?? null,
      f.after?.id ?? null,
      f.limit + 1,
    ],
  );
  return rows.map(toReport);
}

/** A report's whole history, internal entries included, oldest first. */
export async function listAllEvents(db: Queryable, reportId: string): Promise<StaffEventView[]> {
  const { rows } = await db.query<{
    at: Date;
    action: string;
    from_status: ReportStatus | null;
    to_status: ReportStatus | null;
    actor_kind: 'reporter' | 'staff' | 'system';
    public: boolean;
    note: string | null;
  }>(
    `SELECT at, action, from_status, to_status, actor_kind, public, data->>'note' AS note
       FROM report_events WHERE report_id = $1 ORDER BY id`,
    [reportId],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actorKind: r.actor_kind,
    public: r.public,
    note: r.note,
  }));
}

/** Locks a report's row and returns its status (inside a transaction). */
export async function lockStatus(db: Queryable, id: string): Promise<ReportStatus | undefined> {
  const { rows } = await db.query<{ status: ReportStatus }>(
    'SELECT status FROM reports WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0]?.status;
}

/** Sets a report's status. */
export async function setStatus(db: Queryable, id: string, status: ReportStatus): Promise<void> {
  await db.query('UPDATE reports SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** A row of the CSV export. */
export interface ExportRow {
  id: string;
  received_at: Date;
  status: string;
  priority: string;
  category: string;
  lat: number;
  lon: number;
  description: string | null;
  contact_email: string | null;
}

/** Every report of a commune, oldest first, for the CSV export. */
export async function exportRows(db: Queryable, communeId: number): Promise<ExportRow[]> {
  const { rows } = await db.query<ExportRow>(
    `SELECT r.id, r.received_at, r.status, r.priority, ca.code AS category,
            ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon, r.description, r.contact_email
       FROM reports r JOIN categories ca ON ca.id = r.category_id
      WHERE r.commune_id = $1
      ORDER BY r.received_at, r.id`,
    [communeId],
  );
  return rows;
}
