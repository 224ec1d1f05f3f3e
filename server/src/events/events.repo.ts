import type { Queryable } from '../db';
import type { ReportStatus } from '../contract/common';

/** A change to a report, as pushed to live screens. */
export interface LiveEvent {
  id: number;
  communeId: number;
  reportId: string;
  at: string;
  action: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  /** Plan and stop details for crew/supervisor screens (staff streams only). */
  planId: string | null;
}

interface EventDbRow {
  id: string;
  commune_id: number;
  report_id: string;
  at: Date;
  action: string;
  from_status: ReportStatus | null;
  to_status: ReportStatus | null;
  plan_id: string | null;
}

function toEvent(r: EventDbRow): LiveEvent {
  return {
    id: Number(r.id),
    communeId: r.commune_id,
    reportId: r.report_id,
    at: r.at.toISOString(),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    planId: r.plan_id,
  };
}

/** The newest event id (0 when there is none): where a new live stream starts. */
export async function latestEventId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>('SELECT max(id) AS id FROM report_events');
  return Number(rows[0]?.id ?? 0);
}

/** Events of some communes after `afterId`, oldest first (staff streams). */
export async function communeEventsAfter(
  db: Queryable,
  communeIds: readonly number[],
  afterId: number,
  limit: number,
): Promise<LiveEvent[]> {
  const { rows } = await db.query<EventDbRow>(
    `SELECT id, commune_id, report_id, at, action, from_status, to_status, data->>'planId' AS plan_id
       FROM report_events WHERE id > $1 AND commune_id = ANY($2::int[]) ORDER BY id LIMIT $3`,
    [afterId, communeIds, limit],
  );
  return rows.map(toEvent);
}

/** Public events of one device's reports after `afterId` (the resident's "my reports" stream). */
export async function reporterEventsAfter(
  db: Queryable,
  tokenHash: Buffer,
  afterId: number,
  limit: number,
): Promise<LiveEvent[]> {
  const { rows } = await db.query<EventDbRow>(
    `SELECT e.id, e.commune_id, e.report_id, e.at, e.action, e.from_status, e.to_status, NULL AS plan_id
       FROM report_events e JOIN reports r ON r.id = e.report_id
      WHERE e.id > $1 AND e.public AND r.reporter_token_hash = $2 ORDER BY e.id LIMIT $3`,
    [afterId, tokenHash, limit],
  );
  return rows.map(toEvent);
}
