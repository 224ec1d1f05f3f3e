import type { Queryable } from '../db';
import type { AuditEntryView } from '../contract/staff';

/** One audit row, as written. */
export interface AuditEntry {
  actorKind: 'user' | 'reporter' | 'anonymous' | 'cli' | 'system';
  actorUserId?: string | null;
  communeId?: number | null;
  /** snake_case verb: sign_in, role_granted, report_status_changed, access_denied... */
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  objectType?: string | null;
  objectId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

/** Appends one row to the audit log (the table refuses updates and deletes). */
export async function insertAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_kind, actor_user_id, commune_id, action, outcome, object_type, object_id,
                            request_id, ip, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
    [
      e.actorKind,
      e.actorUserId ?? null,
      e.communeId ?? null,
      e.action,
      e.outcome,
      e.objectType ?? null,
      e.objectId?.slice(0, 200) ?? null,
      e.requestId?.slice(0, 64) ?? null,
      e.ip?.slice(0, 64) ?? null,
      JSON.stringify(e.data ?? {}),
    ],
  );
}

/**
 * A commune's audit entries, newest first: what happened in the commune, plus the
 * deployment-wide entries (sign-ins, password changes) of the people who hold a role there.
 */
export async function listCommuneAudit(
  db: Queryable,
  communeId: number,
  limit: number,
  before: number | undefined,
): Promise<AuditEntryView[]> {
  const { rows } = await db.query<{
    id: string;
    at: Date;
    actor_kind: string;
    actor_user_id: string | null;
    commune_id: number | null;
    action: string;
    outcome: string;
    object_type: string | null;
    object_id: string | null;
    request_id: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT id, at, actor_kind, actor_user_id, commune_id, action, outcome, object_type, object_id, request_id, data
       FROM audit_log a
      WHERE (a.commune_id = $1
             OR (a.commune_id IS NULL
                 AND a.actor_user_id IN (SELECT user_id FROM user_roles WHERE commune_id = $1)))
        AND ($3::bigint IS NULL OR a.id < $3)
      ORDER BY a.id DESC
      LIMIT $2`,
    [communeId, limit, before ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actorKind: r.actor_kind,
    actorUserId: r.actor_user_id,
    communeId: r.commune_id,
    action: r.action,
    outcome: r.outcome,
    objectType: r.object_type,
    objectId: r.object_id,
    requestId: r.request_id,
    data: r.data,
  }));
}
