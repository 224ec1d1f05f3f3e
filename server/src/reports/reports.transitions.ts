import type { ReportStatus } from '../contract/common';
import { canTransition, isClosed, needs } from '../contract/workflow';
import type { Queryable } from '../db';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { insertEvent } from './reports.repo';
import * as repo from './reports.staff.repo';

/** Who changes a report, as its history records it. */
export interface WorkflowActor {
  kind: 'reporter' | 'staff' | 'system';
  /** The staff user's id; null for the system and for residents. */
  id: string | null;
}

/** A status change to make. */
export interface TransitionRequest {
  reportId: string;
  to: ReportStatus;
  actor: WorkflowActor;
  /** The history entry's action, e.g. `status_changed`, `moderated`, `stop_done`, `planned`. */
  action: string;
  /** Why (required for `rejected`; kept for closed statuses and shown to the resident). */
  reason?: string | null;
  /** The kept report (required for `duplicate`). */
  duplicateOf?: string | null;
  /** Extra facts for the history entry (plan id, note...). */
  data?: Record<string, unknown>;
  /** Shown in the resident's history (default true). */
  public?: boolean;
  /** When it happened (a crew's phone may sync hours later); now when absent. */
  at?: string;
  /**
   * What to do when the life cycle forbids the change: 'throw' (409 invalid_transition, the
   * default, for people deciding now) or 'record' (keep the status, still write the history
   * entry: a crew's stop update that arrives after the report was, say, marked a duplicate).
   * 'record' also writes the entry when the status is already the target.
   */
  whenRefused?: 'throw' | 'record';
}

/** What a transition did. */
export interface TransitionResult {
  from: ReportStatus;
  /** The status after the call (the old one when nothing changed). */
  status: ReportStatus;
  changed: boolean;
  communeId: number;
  /** The kept report, for a duplicate (resolved to the root of a chain). */
  duplicateOf: string | null;
  /** Reports that pointed at this one and now point at its kept report. */
  repointed: string[];
}

const reportNotFound = () => NotFoundError('report_not_found', 'Report not found.');

/**
 * The one place that changes a report's status. Inside the caller's transaction: locks the row,
 * checks the life cycle (server-side, whatever the client offered), keeps closed_at,
 * duplicate_of and status_reason consistent with the status, and appends to report_events
 * (whose insert wakes the live streams and feeds notifications). Authorisation is the
 * caller's job.
 */
export async function transitionReport(tx: Queryable, t: TransitionRequest): Promise<TransitionResult> {
  const current = await repo.lockWorkflow(tx, t.reportId);
  if (!current) throw reportNotFound();
  const from = current.status;
  const unchanged: TransitionResult = {
    from,
    status: from,
    changed: false,
    communeId: current.communeId,
    duplicateOf: current.duplicateOf,
    repointed: [],
  };
  const writeEvent = (to: ReportStatus, data: Record<string, unknown>) =>
    insertEvent(tx, {
      reportId: t.reportId,
      communeId: current.communeId,
      actorKind: t.actor.kind,
      actorId: t.actor.id,
      action: t.action,
      fromStatus: from,
      toStatus: to,
      data: { ...t.data, ...data },
      public: t.public ?? true,
      ...(t.at ? { at: t.at } : {}),
    });

  if (from === t.to || !canTransition(from, t.to)) {
    if (t.whenRefused === 'record') {
      await writeEvent(from, from === t.to ? {} : { requested: t.to, kept: true });
      return unchanged;
    }
    if (from === t.to) return unchanged;
    throw ConflictError(
      `A report that is "${from}" cannot become "${t.to}".`,
      'invalid_transition',
      'status',
    );
  }

  const need = needs(t.to);
  const reason = t.reason?.trim() || null;
  if (need.reason && !reason)
    throw ValidationError(
      'Say why the report is rejected: the resident reads it.',
      'reason',
      'reason_required',
    );
  let keptId: string | null = null;
  if (need.duplicateOf) {
    if (!t.duplicateOf)
      throw ValidationError('Choose the report this one duplicates.', 'duplicateOf', 'duplicate_of_required');
    let kept = await repo.findWorkflow(tx, t.duplicateOf);
    keptId = t.duplicateOf;
    // A duplicate of a duplicate points at the report that is kept in the end.
    if (kept?.status === 'duplicate' && kept.duplicateOf) {
      keptId = kept.duplicateOf;
      kept = await repo.findWorkflow(tx, keptId);
    }
    if (!kept || kept.communeId !== current.communeId)
      throw UnprocessableError(
        'The kept report was not found in this commune.',
        'duplicate_target_not_found',
        'duplicateOf',
      );
    if (keptId === t.reportId)
      throw UnprocessableError('A report cannot duplicate itself.', 'duplicate_of_itself', 'duplicateOf');
  }

  await repo.applyTransition(tx, t.reportId, {
    status: t.to,
    closed: isClosed(t.to),
    at: t.at ?? null,
    duplicateOf: keptId,
    reason: isClosed(t.to) ? reason : null,
  });
  const repointed = keptId ? await repo.repointDuplicates(tx, t.reportId, keptId) : [];
  await writeEvent(t.to, { ...(reason ? { reason } : {}), ...(keptId ? { duplicateOf: keptId } : {}) });
  return { from, status: t.to, changed: true, communeId: current.communeId, duplicateOf: keptId, repointed };
}
