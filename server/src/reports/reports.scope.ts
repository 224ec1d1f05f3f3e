import type { Request } from 'express';
import type { ReportFilter } from '../contract/filters';
import type { Queryable } from '../db';
import { communesWhere, type Permission, type Principal } from '../auth/policy';
import { communeFor } from '../auth/scope';
import { communeTimezone } from '../communes/communes.repo';
import type { ScopedFilter } from './reports.filter.repo';

/**
 * Scopes a report filter to what the caller may see with `permission`: the one commune the
 * filter names (404 when it is not one of theirs, 403 when they lack the permission there, both
 * audited), or every commune where they have it. Undefined when they have it nowhere (an empty
 * list, not an error). Used by the staff list, clusters, exports and statistics alike.
 */
export async function scopeFilter(
  db: Queryable,
  req: Request,
  principal: Principal,
  filter: ReportFilter,
  permission: Permission,
): Promise<ScopedFilter | undefined> {
  const { commune: slug, ...rest } = filter;
  let communeIds: 'all' | number[];
  if (slug) communeIds = [(await communeFor(db, req, slug, permission)).commune.id];
  else communeIds = communesWhere(principal, permission);
  if (communeIds !== 'all' && communeIds.length === 0) return undefined;
  const timezone = await communeTimezone(db, communeIds === 'all' ? undefined : communeIds[0]);
  return { ...rest, communeIds, timezone };
}
