import type { Pool } from 'pg';
import { withTransaction } from '../db';
import { insertAudit } from '../audit/audit.repo';
import * as repo from './notifications.repo';
import { hashUnsubscribeToken } from './notifications.worker';

/** What an unsubscribe link leads to; undefined for an unknown (or erased) link. */
export function findUnsubscribe(pool: Pool, token: string): Promise<repo.UnsubscribeTarget | undefined> {
  return repo.findUnsubscribeTarget(pool, hashUnsubscribeToken(token));
}

/**
 * Stops the emails of the report an unsubscribe link was made for (idempotent). One report,
 * not every report of the address: the resident gave their email on each report separately,
 * and stopping by address would mean keeping the address (or its hash) on a suppression list
 * after the reports' own retention periods, which minimisation forbids. Emails waiting to be
 * sent are dropped. Audited without the address or the client's IP.
 */
export async function unsubscribe(
  pool: Pool,
  token: string,
  now: Date,
  requestId: string | null,
): Promise<repo.UnsubscribeTarget | undefined> {
  return withTransaction(pool, async (tx) => {
    const target = await repo.findUnsubscribeTarget(tx, hashUnsubscribeToken(token), true);
    if (!target) return undefined;
    if (target.stopped) return target;
    const dropped = await repo.stopNotifications(tx, target.reportId, now);
    await insertAudit(tx, {
      actorKind: 'reporter',
      actorUserId: null,
      communeId: target.communeId,
      action: 'email_unsubscribed',
      outcome: 'success',
      objectType: 'report',
      objectId: target.reportId,
      requestId,
      ip: null,
      data: { emailsDropped: dropped },
    });
    return { ...target, stopped: true };
  });
}
