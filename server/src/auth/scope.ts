import type { Request } from 'express';
import type { Queryable } from '../db';
import { AuthorizationError, NotFoundError } from '../errors';
import { auditDenied } from '../audit/audit.service';
import { findCommuneBySlug, type CommuneRef } from '../communes/communes.repo';
import { requirePrincipal } from './auth.middleware';
import { refusal, type Permission, type Principal } from './policy';

/**
 * Resolves the commune a staff request names and checks the permission there. A commune the
 * user has nothing to do with answers exactly like one that does not exist (404, audited as a
 * denied access); their own commune without the permission answers 403.
 */
export async function communeFor(
  db: Queryable,
  req: Request,
  slug: string,
  permission: Permission,
): Promise<{ principal: Principal; commune: CommuneRef }> {
  const principal = requirePrincipal(req);
  const commune = await findCommuneBySlug(db, slug);
  if (!commune) throw NotFoundError();
  await authorise(db, req, principal, permission, {
    type: 'commune',
    id: commune.slug,
    communeId: commune.id,
  });
  return { principal, commune };
}

/**
 * Checks `permission` on an object of a commune: 404 (identical to a missing object) when the
 * user does not belong to that commune, 403 when they do but lack the permission. Both refusals
 * are written to the audit log.
 */
export async function authorise(
  db: Queryable,
  req: Request,
  principal: Principal,
  permission: Permission,
  object: { type: string; id: string; communeId: number },
  notFound = () => NotFoundError(),
): Promise<void> {
  const refused = refusal(principal, permission, object.communeId);
  if (!refused) return;
  await auditDenied(db, req, object, { permission });
  throw refused === 'not_found' ? notFound() : AuthorizationError();
}
