import type { Request } from 'express';
import { priorityAfterCategoryChange } from '../contract/moderation';
import type { MergeBody, NoteBody, ReportEditBody, StaffReport, UnmergeBody } from '../contract/staff';
import { isClosed } from '../contract/workflow';
import { withTransaction, type Queryable } from '../db';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../errors';
import { auditDenied, auditRequest } from '../audit/audit.service';
import type { Permission, Principal } from '../auth/policy';
import { authorise } from '../auth/scope';
import { nearestAddress } from '../addresses/addresses.repo';
import { communeCovers, findActiveCategory } from '../communes/communes.repo';
import { insertEvent } from './reports.repo';
import * as edits from './reports.edits.repo';
import { findReportCommune, findWorkflow } from './reports.staff.repo';
import { staffReport, type ReportsDeps } from './reports.service';
import { transitionReport, type WorkflowActor } from './reports.transitions';

/**
 * The town hall's work on a report besides its status: corrections of category, priority and
 * place, merging duplicates into the report that is kept (and undoing it), internal notes and
 * public updates to the resident. Each change is one transaction that writes the report, its
 * history (report_events: who, when, why) and the audit log together.
 */

const reportNotFound = () => NotFoundError('report_not_found', 'Report not found.');

/**
 * The commune of a report the caller may act on with `permission`: 404 (identical to a missing
 * report, audited) for another commune's, 403 for their own commune without the permission.
 */
export async function authoriseOnReport(
  db: Queryable,
  req: Request,
  p: Principal,
  id: string,
  permission: Permission,
): Promise<number> {
  const communeId = await findReportCommune(db, id);
  if (communeId === undefined) throw reportNotFound();
  const object = { type: 'report', id, communeId };
  await authorise(db, req, p, 'reports:read', object, reportNotFound);
  await authorise(db, req, p, permission, object, reportNotFound);
  return communeId;
}

const staffActor = (p: Principal): WorkflowActor => ({ kind: 'staff', id: p.userId });

/** The short form of a report id people read in messages (the list shows the same). */
const shortId = (id: string) => id.slice(0, 8);

/**
 * Corrects a report's category, priority and/or place. The category must be an active one of
 * the report's commune; the priority follows the new category's default only when it still was
 * the old one's default (a priority chosen on purpose is kept; an explicit priority wins); the
 * place must stay inside the commune and is named again from the address table. A closed
 * report is not edited (409: reopen it first). Each field changed gets its own history entry
 * (`category_changed`, `priority_changed`, `location_changed`, internal) with the old and the
 * new value and the reason; the whole edit one audit entry.
 */
export async function editReport(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  body: ReportEditBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, id, 'reports:triage');
  await withTransaction(deps.pool, async (tx) => {
    const cur = await edits.lockEditable(tx, id);
    if (!cur) throw reportNotFound();
    if (isClosed(cur.status))
      throw ConflictError(
        `This report is closed ("${cur.status}"): reopen it first to change its category, priority or place.`,
        'report_closed',
        'status',
      );

    const applied: edits.AppliedEdit = {};
    const changes: Array<{ action: string; data: Record<string, unknown> }> = [];
    let priority = body.priority ?? cur.priority;
    if (body.category !== undefined && body.category !== cur.categoryCode) {
      const category = await findActiveCategory(tx, communeId, body.category);
      if (!category)
        throw UnprocessableError(
          `"${body.category}" is not an active category of this commune.`,
          'unknown_category',
          'category',
        );
      applied.categoryId = category.id;
      priority = priorityAfterCategoryChange({
        current: cur.priority,
        oldDefault: cur.categoryDefaultPriority,
        newDefault: category.defaultPriority,
        requested: body.priority,
      });
      changes.push({ action: 'category_changed', data: { from: cur.categoryCode, to: category.code } });
    }
    if (priority !== cur.priority) {
      applied.priority = priority;
      changes.push({
        action: 'priority_changed',
        data: { from: cur.priority, to: priority, ...(body.priority ? {} : { followsCategory: true }) },
      });
    }
    const loc = body.location;
    if (loc && (loc.lat !== cur.lat || loc.lon !== cur.lon)) {
      if (!(await communeCovers(tx, communeId, loc.lat, loc.lon)))
        throw UnprocessableError(
          "This place is outside the report's commune: move the pin inside its boundary.",
          'outside_commune',
          'location',
        );
      const address = await nearestAddress(tx, communeId, loc.lat, loc.lon);
      applied.location = { lat: loc.lat, lon: loc.lon, address };
      changes.push({
        action: 'location_changed',
        data: {
          from: { lat: cur.lat, lon: cur.lon, address: cur.address },
          to: { lat: loc.lat, lon: loc.lon, address },
        },
      });
    }
    if (changes.length === 0) return;

    await edits.applyEdit(tx, id, applied);
    const reason = body.reason || undefined;
    for (const c of changes) {
      await insertEvent(tx, {
        reportId: id,
        communeId,
        actorKind: 'staff',
        actorId: p.userId,
        action: c.action,
        fromStatus: null,
        toStatus: null,
        data: { ...c.data, ...(reason ? { reason } : {}) },
        public: false,
      });
    }
    await auditRequest(tx, req, {
      action: 'report_edited',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: id,
      // Positions stay in the report's history only (the retention job can find them there).
      data: {
        changes: changes.map((c) =>
          c.action === 'location_changed'
            ? { field: 'location' }
            : { field: c.action.replace('_changed', ''), ...c.data },
        ),
        ...(reason ? { reason } : {}),
      },
    });
  });
  return staffReport(deps, req, p, id);
}

/** Re-throws a refusal about one of several reports with the field and the id it is about. */
function about(err: unknown, index: number, id: string): unknown {
  if (!(err instanceof AppError)) return err;
  return new AppError(err.status, err.code, `Report ${shortId(id)}: ${err.message}`, `duplicates.${index}`);
}

/**
 * Checks that each listed report is one of the kept report's commune. Another commune's
 * report is refused exactly like a missing one (and the attempt audited).
 */
async function checkSameCommune(
  deps: ReportsDeps,
  req: Request,
  ids: readonly string[],
  communeId: number,
): Promise<void> {
  const communes = await edits.reportCommunes(deps.pool, ids);
  for (const [i, id] of ids.entries()) {
    const theirs = communes.get(id);
    if (theirs === communeId) continue;
    if (theirs !== undefined) await auditDenied(deps.pool, req, { type: 'report', id, communeId: theirs });
    throw UnprocessableError(
      `Report ${shortId(id)} was not found in this commune.`,
      'duplicate_not_found',
      `duplicates.${i}`,
    );
  }
}

/**
 * Marks several reports as duplicates of the one kept (`keptId`), in one transaction: each goes
 * through the workflow (`transitionReport`: life cycle, closure date, link to the kept report,
 * history entry `moderated` to `duplicate`), so either all are merged or none. A report that
 * already is a duplicate, or is closed, is refused (409: reopen it first). The kept report's
 * own history records the merge (`duplicates_merged`, internal).
 */
export async function mergeDuplicates(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  keptId: string,
  body: MergeBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, keptId, 'reports:moderate');
  const self = body.duplicates.indexOf(keptId);
  if (self >= 0)
    throw UnprocessableError(
      'The kept report cannot be one of its duplicates.',
      'duplicate_of_itself',
      `duplicates.${self}`,
    );
  await checkSameCommune(deps, req, body.duplicates, communeId);
  const reason = body.reason || undefined;
  await withTransaction(deps.pool, async (tx) => {
    const kept = await findWorkflow(tx, keptId);
    if (kept?.status === 'duplicate')
      throw ConflictError(
        `This report is itself a duplicate${kept.duplicateOf ? ` of ${shortId(kept.duplicateOf)}` : ''}: merge into the report that is kept.`,
        'kept_is_duplicate',
        'duplicates',
      );
    // Rows are locked in id order, so two overlapping merges wait for each other instead of deadlocking.
    const order = body.duplicates.map((id, index) => ({ id, index })).sort((a, b) => (a.id < b.id ? -1 : 1));
    const merged: string[] = [];
    for (const { id, index } of order) {
      try {
        const done = await transitionReport(tx, {
          reportId: id,
          to: 'duplicate',
          duplicateOf: keptId,
          actor: staffActor(p),
          action: 'moderated',
          reason,
          data: { merged: true },
        });
        if (!done.changed) {
          if (done.duplicateOf === keptId) continue; // merged already: a repeated request changes nothing
          throw ConflictError(
            'it already is a duplicate of another report: reopen it first.',
            'already_duplicate',
          );
        }
        merged.push(id);
      } catch (err) {
        throw about(err, index, id);
      }
    }
    if (merged.length === 0) return;
    await insertEvent(tx, {
      reportId: keptId,
      communeId,
      actorKind: 'staff',
      actorId: p.userId,
      action: 'duplicates_merged',
      fromStatus: null,
      toStatus: null,
      data: { duplicates: merged, ...(reason ? { reason } : {}) },
      public: false,
    });
    await auditRequest(tx, req, {
      action: 'report_merged',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: keptId,
      data: { duplicates: merged, ...(reason ? { reason } : {}) },
    });
  });
  return staffReport(deps, req, p, keptId);
}

/**
 * Undoes a merge: reopens duplicates of the kept report (all of them, or those listed) to
 * `acknowledged` through the workflow, which clears their link and closure date. A listed
 * report that is not a duplicate of this one is refused (422), whoever's it is.
 */
export async function unmergeDuplicates(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  keptId: string,
  body: UnmergeBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, keptId, 'reports:moderate');
  const reason = body.reason || undefined;
  await withTransaction(deps.pool, async (tx) => {
    const current = new Set(await edits.listDuplicateIds(tx, keptId));
    const targets = body.duplicates ?? [...current];
    if (targets.length === 0)
      throw ConflictError('This report has no duplicates to reopen.', 'no_duplicates', 'duplicates');
    for (const [i, id] of targets.entries()) {
      if (!current.has(id))
        throw UnprocessableError(
          `Report ${shortId(id)} is not a duplicate of this report.`,
          'not_a_duplicate',
          `duplicates.${i}`,
        );
    }
    const order = targets.map((id, index) => ({ id, index })).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const { id, index } of order) {
      try {
        await transitionReport(tx, {
          reportId: id,
          to: 'acknowledged',
          actor: staffActor(p),
          action: 'status_changed',
          reason,
          data: { unmergedFrom: keptId },
        });
      } catch (err) {
        throw about(err, index, id);
      }
    }
    await insertEvent(tx, {
      reportId: keptId,
      communeId,
      actorKind: 'staff',
      actorId: p.userId,
      action: 'duplicates_unmerged',
      fromStatus: null,
      toStatus: null,
      data: { duplicates: targets, ...(reason ? { reason } : {}) },
      public: false,
    });
    await auditRequest(tx, req, {
      action: 'report_unmerged',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: keptId,
      data: { duplicates: targets, ...(reason ? { reason } : {}) },
    });
  });
  return staffReport(deps, req, p, keptId);
}

/**
 * Adds an internal note (`note`, never shown outside the staff API) or a public update to the
 * resident (`public_update`, shown in "my reports"; the notifications read these entries to
 * email the reporter). Both carry `{text}`; closed reports take them too.
 */
export async function addMessage(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  kind: 'note' | 'public_update',
  body: NoteBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(
    deps.pool,
    req,
    p,
    id,
    kind === 'note' ? 'reports:note' : 'reports:triage',
  );
  await withTransaction(deps.pool, async (tx) => {
    await insertEvent(tx, {
      reportId: id,
      communeId,
      actorKind: 'staff',
      actorId: p.userId,
      action: kind,
      fromStatus: null,
      toStatus: null,
      data: { text: body.text },
      public: kind === 'public_update',
    });
    // The text stays in the report's history; the audit log says only that it was written.
    await auditRequest(tx, req, {
      action: kind === 'note' ? 'report_note_added' : 'report_public_update',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: id,
      data: { length: body.text.length },
    });
  });
  return staffReport(deps, req, p, id);
}
