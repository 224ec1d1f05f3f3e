import type { Request } from 'express';
import type { Queryable } from '../db';
import { insertAudit, type AuditEntry } from './audit.repo';

/** The part of an audit entry that the request tells: who (if signed in), request id, address. */
export function fromRequest(
  req: Request,
): Pick<AuditEntry, 'actorKind' | 'actorUserId' | 'requestId' | 'ip'> {
  const p = req.principal;
  return {
    actorKind: p ? 'user' : req.get('x-reporter-token') ? 'reporter' : 'anonymous',
    actorUserId: p?.userId ?? null,
    requestId: typeof req.id === 'string' ? req.id : req.id === undefined ? null : String(req.id),
    ip: req.ip ?? null,
  };
}

/** Writes an audit entry for a request: its actor, request id and address, plus `entry`. */
export async function auditRequest(
  db: Queryable,
  req: Request,
  entry: Omit<AuditEntry, 'actorKind' | 'actorUserId' | 'requestId' | 'ip'> &
    Partial<Pick<AuditEntry, 'actorKind' | 'actorUserId'>>,
): Promise<void> {
  await insertAudit(db, { ...fromRequest(req), ...entry });
}

/**
 * Records a refused access to an object that exists (another commune's report, a role the user
 * lacks): the caller still gets the 404 of a missing object, the town hall sees the attempt.
 */
export async function auditDenied(
  db: Queryable,
  req: Request,
  object: { type: string; id: string; communeId: number | null },
  data: Record<string, unknown> = {},
): Promise<void> {
  await auditRequest(db, req, {
    action: 'access_denied',
    outcome: 'denied',
    communeId: object.communeId,
    objectType: object.type,
    objectId: object.id,
    data: { method: req.method, path: req.baseUrl + req.path, ...data },
  });
}
