import type { Queryable } from '../db';
import type { ReportStatus } from '../contract/common';
import { SELECT_REPORT, toReport, type ReportDbRow, type ReportRow } from './reports.repo';
import type { StaffEventView } from '../contract/staff';
import { filterConditions, queryArgs, type ScopedFilter } from './reports.filter.repo';

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

/** A page of the reports matching a scoped filter, newest first; fetches limit + 1. */
export async function listStaffReports(
  db: Queryable,
  f: ScopedFilter,
  page: { limit: number; after?: { at: string; id: string } | undefined },
): Promise<StaffListRow[]> {
  const { args, arg } = queryArgs();
  const where = filterConditions(f, arg);
  if (page.after)
    where.push(`(r.received_at, r.id) < (${arg(page.after.at)}::timestamptz, ${arg(page.after.id)}::uuid)`);
  const { rows } = await db.query<ReportDbRow>(
    `${SELECT_REPORT}
      WHERE ${where.join(' AND ')}
      ORDER BY r.received_at DESC, r.id DESC
      LIMIT ${arg(page.limit + 1)}`,
    args,
  );
  return rows.map(toReport);
}

/** A report's whole history, internal entries included, oldest first, with who made each change. */
export async function listAllEvents(db: Queryable, reportId: string): Promise<StaffEventView[]> {
  const { rows } = await db.query<{
    at: Date;
    action: string;
    from_status: ReportStatus | null;
    to_status: ReportStatus | null;
    actor_kind: 'reporter' | 'staff' | 'system';
    public: boolean;
    note: string | null;
    actor_email: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT e.at, e.action, e.from_status, e.to_status, e.actor_kind, e.public, e.data->>'note' AS note,
            e.data, u.email AS actor_email
       FROM report_events e
       LEFT JOIN users u ON e.actor_kind = 'staff' AND u.id::text = e.actor_id
      WHERE e.report_id = $1 ORDER BY e.id`,
    [reportId],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    text: typeof r.data.text === 'string' ? r.data.text : null,
    reason: typeof r.data.reason === 'string' ? r.data.reason : null,
    actorKind: r.actor_kind,
    public: r.public,
    note: r.note,
    actorEmail: r.actor_email,
    data: r.data,
  }));
}

/** A report's workflow state, locked for a transition (inside a transaction). */
export interface WorkflowRow {
  status: ReportStatus;
  communeId: number;
  duplicateOf: string | null;
}

/** Locks a report's row and returns its workflow state, or undefined when it does not exist. */
export async function lockWorkflow(db: Queryable, id: string): Promise<WorkflowRow | undefined> {
  const { rows } = await db.query<{ status: ReportStatus; commune_id: number; duplicate_of: string | null }>(
    'SELECT status, commune_id, duplicate_of FROM reports WHERE id = $1 FOR UPDATE',
    [id],
  );
  const r = rows[0];
  return r && { status: r.status, communeId: r.commune_id, duplicateOf: r.duplicate_of };
}

/** The workflow state of a report without locking it (the kept report of a duplicate). */
export async function findWorkflow(db: Queryable, id: string): Promise<WorkflowRow | undefined> {
  const { rows } = await db.query<{ status: ReportStatus; commune_id: number; duplicate_of: string | null }>(
    'SELECT status, commune_id, duplicate_of FROM reports WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r && { status: r.status, communeId: r.commune_id, duplicateOf: r.duplicate_of };
}

/** What a transition writes on the report row. */
export interface AppliedTransition {
  status: ReportStatus;
  /** Whether the new status is closed (closed_at is set) or open (closed_at is cleared). */
  closed: boolean;
  /** When it happened; the database's now() when null. */
  at: string | null;
  duplicateOf: string | null;
  reason: string | null;
}

/** Writes a report's new status with its closure time, kept report and reason. */
export async function applyTransition(db: Queryable, id: string, t: AppliedTransition): Promise<void> {
  await db.query(
    `UPDATE reports
        SET status = $2, closed_at = CASE WHEN $3 THEN coalesce($4::timestamptz, now()) END,
            duplicate_of = $5, status_reason = $6, updated_at = now()
      WHERE id = $1`,
    [id, t.status, t.closed, t.at, t.duplicateOf, t.reason],
  );
}

/** Points the duplicates of one report at another (when the first becomes a duplicate itself); returns their ids. */
export async function repointDuplicates(db: Queryable, from: string, to: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'UPDATE reports SET duplicate_of = $2, updated_at = now() WHERE duplicate_of = $1 RETURNING id',
    [from, to],
  );
  return rows.map((r) => r.id);
}
