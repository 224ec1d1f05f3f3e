import type { Request } from 'express';
import { redactionProblem } from '../contract/moderation';
import type {
  PhotoModerationBody,
  RedactionBody,
  ReportModerationBody,
  StaffReport,
} from '../contract/staff';
import { withTransaction } from '../db';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { auditRequest } from '../audit/audit.service';
import type { Principal } from '../auth/policy';
import { redactPhoto } from '../photos/photos.redaction';
import { insertEvent, referencedShas } from './reports.repo';
import * as edits from './reports.edits.repo';
import { authoriseOnReport } from './reports.edits';
import { staffReport, type ReportsDeps } from './reports.service';

/**
 * Moderation of what the public sees of a report: hiding it, publishing an edited text (the
 * resident's original stays in `description`), hiding, approving and redacting its photos.
 * History entries are `moderated` (internal) with `data.what` saying what was done; each
 * action is audited. Texts are not copied into the history or the audit log (only their
 * length): the retention job clears the report's texts, and copies would outlive them.
 */

const reportNotFound = () => NotFoundError('report_not_found', 'Report not found.');
const photoNotFound = () => NotFoundError('photo_not_found', 'Photo not found.');

/** Hides or shows a report, and/or sets or clears the text the public sees. */
export async function moderateReport(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  body: ReportModerationBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, id, 'reports:moderate');
  const reason = body.reason || undefined;
  await withTransaction(deps.pool, async (tx) => {
    const cur = await edits.lockModeration(tx, id);
    if (!cur) throw reportNotFound();
    const what: Array<Record<string, unknown>> = [];
    const hidden = body.hidden ?? cur.hidden;
    if (hidden !== cur.hidden) what.push({ what: hidden ? 'hidden' : 'shown' });
    let publicDescription = cur.publicDescription;
    if (body.publicDescription !== undefined) {
      // The original again (or nothing): nothing to publish instead of it.
      const text = body.publicDescription?.trim() || null;
      publicDescription = text === null || text === cur.description ? null : text;
      if (publicDescription !== cur.publicDescription)
        what.push({
          what: 'public_text',
          restoredOriginal: publicDescription === null,
          length: publicDescription?.length ?? 0,
        });
    }
    if (what.length === 0) return;
    await edits.setReportModeration(tx, id, { hidden, publicDescription });
    for (const w of what) {
      await insertEvent(tx, {
        reportId: id,
        communeId,
        actorKind: 'staff',
        actorId: p.userId,
        action: 'moderated',
        fromStatus: null,
        toStatus: null,
        data: { ...w, ...(reason ? { reason } : {}) },
        public: false,
      });
    }
    await auditRequest(tx, req, {
      action: 'report_moderated',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: id,
      data: { changes: what, ...(reason ? { reason } : {}) },
    });
  });
  return staffReport(deps, req, p, id);
}

/** Hides or shows a photo, approves it for public display or withdraws the approval. */
export async function moderatePhoto(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  n: number,
  body: PhotoModerationBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, id, 'reports:moderate');
  const reason = body.reason || undefined;
  await withTransaction(deps.pool, async (tx) => {
    const ph = await edits.lockPhoto(tx, id, n);
    if (!ph) throw photoNotFound();
    const what: string[] = [];
    if (body.hidden !== undefined && body.hidden !== ph.hidden)
      what.push(body.hidden ? 'photo_hidden' : 'photo_shown');
    if (body.approved !== undefined && body.approved !== (ph.moderatedAt !== null))
      what.push(body.approved ? 'photo_approved' : 'photo_unapproved');
    if (what.length === 0) return;
    await edits.setPhotoFlags(tx, id, n, { hidden: body.hidden, approved: body.approved });
    for (const w of what) {
      await insertEvent(tx, {
        reportId: id,
        communeId,
        actorKind: 'staff',
        actorId: p.userId,
        action: 'moderated',
        fromStatus: null,
        toStatus: null,
        data: { what: w, photo: n, ...(reason ? { reason } : {}) },
        public: false,
      });
    }
    await auditRequest(tx, req, {
      action: 'photo_moderated',
      outcome: 'success',
      communeId,
      objectType: 'photo',
      objectId: `${id}/${n}`,
      data: { changes: what, ...(reason ? { reason } : {}) },
    });
  });
  return staffReport(deps, req, p, id);
}

/**
 * Deletes files the database no longer references (a replaced redaction, a deleted original),
 * after the commit that stopped referencing them: the same bytes may belong to another photo
 * (content addressing), so each is checked first. A crash in between leaves an orphan that
 * the sweep collects.
 */
async function removeUnreferenced(deps: ReportsDeps, shas: readonly string[]): Promise<void> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return;
  const still = await referencedShas(deps.pool, unique);
  for (const sha of unique) if (!still.has(sha)) await deps.photos.remove(sha);
}

/**
 * Redacts rectangles of a photo (coordinates in pixels of the stored photo). The rectangles
 * are painted on the rendition served now (earlier redactions stay), re-encoded and stored
 * content-addressed with a fresh thumbnail; from then on the photo route serves the redacted
 * rendition to everybody. The original is kept for the commune's admins or deleted for good,
 * as the moderator chooses (once deleted, it stays deleted). The file is written before the
 * row; files no longer referenced are removed after the commit.
 */
export async function redactReportPhoto(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  n: number,
  body: RedactionBody,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, id, 'reports:moderate');
  // Read without holding the lock while sharp works (a second or so); checked again below.
  const before = await edits.lockPhoto(deps.pool, id, n);
  if (!before) throw photoNotFound();
  const problem = redactionProblem(body.rectangles, before);
  if (problem)
    throw ValidationError(
      `rectangles.${problem.index}: ${problem.message}.`,
      `rectangles.${problem.index}`,
      'rectangle_out_of_bounds',
    );
  const served = before.redactedSha256 ?? before.sha256;
  const input = await deps.photos.read(served);
  if (!input) throw photoNotFound();
  const redacted = await redactPhoto(input, body.rectangles, body.style);
  await deps.photos.put(redacted);

  const reason = body.reason || undefined;
  const unreferenced = await withTransaction(deps.pool, async (tx) => {
    const ph = await edits.lockPhoto(tx, id, n);
    if (!ph) throw photoNotFound();
    if ((ph.redactedSha256 ?? ph.sha256) !== served)
      throw ConflictError(
        'This photo was changed by someone else meanwhile: reload it and draw the rectangles again.',
        'photo_changed',
        'rectangles',
      );
    const originalGone = ph.redactedSha256 !== null && ph.redactedSha256 === ph.sha256;
    const deleteOriginal = body.original === 'delete' || originalGone;
    const files = deleteOriginal
      ? { sha256: redacted.sha256, redactedSha256: redacted.sha256, bytes: redacted.bytes }
      : { sha256: ph.sha256, redactedSha256: redacted.sha256, bytes: ph.bytes };
    await edits.setPhotoFiles(tx, id, n, files);
    await insertEvent(tx, {
      reportId: id,
      communeId,
      actorKind: 'staff',
      actorId: p.userId,
      action: 'moderated',
      fromStatus: null,
      toStatus: null,
      data: {
        what: 'photo_redacted',
        photo: n,
        rectangles: body.rectangles.length,
        style: body.style,
        original: deleteOriginal ? 'deleted' : 'kept',
        ...(reason ? { reason } : {}),
      },
      public: false,
    });
    await auditRequest(tx, req, {
      action: 'photo_redacted',
      outcome: 'success',
      communeId,
      objectType: 'photo',
      objectId: `${id}/${n}`,
      data: {
        rectangles: body.rectangles,
        style: body.style,
        original: deleteOriginal ? 'deleted' : 'kept',
        ...(reason ? { reason } : {}),
      },
    });
    const kept = new Set([files.sha256, files.redactedSha256]);
    return [ph.sha256, ph.redactedSha256].filter((s): s is string => s !== null && !kept.has(s));
  });
  await removeUnreferenced(deps, unreferenced);
  return staffReport(deps, req, p, id);
}

/**
 * Deletes the kept original of a redacted photo for good: the row then references only the
 * redacted file, and the original's file is removed once nothing references it.
 */
export async function deleteOriginal(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  n: number,
): Promise<StaffReport> {
  const communeId = await authoriseOnReport(deps.pool, req, p, id, 'reports:moderate');
  const removed = await withTransaction(deps.pool, async (tx) => {
    const ph = await edits.lockPhoto(tx, id, n);
    if (!ph) throw photoNotFound();
    if (ph.redactedSha256 === null)
      throw ConflictError(
        'This photo is not redacted: redact it first (and choose to delete the original), or hide it.',
        'not_redacted',
      );
    if (ph.redactedSha256 === ph.sha256) return null; // already deleted: nothing to do
    const file = await deps.photos.read(ph.redactedSha256);
    if (!file) throw photoNotFound();
    await edits.setPhotoFiles(tx, id, n, {
      sha256: ph.redactedSha256,
      redactedSha256: ph.redactedSha256,
      bytes: file.length,
    });
    await insertEvent(tx, {
      reportId: id,
      communeId,
      actorKind: 'staff',
      actorId: p.userId,
      action: 'moderated',
      fromStatus: null,
      toStatus: null,
      data: { what: 'photo_original_deleted', photo: n },
      public: false,
    });
    await auditRequest(tx, req, {
      action: 'photo_original_deleted',
      outcome: 'success',
      communeId,
      objectType: 'photo',
      objectId: `${id}/${n}`,
    });
    return ph.sha256;
  });
  if (removed) await removeUnreferenced(deps, [removed]);
  return staffReport(deps, req, p, id);
}
