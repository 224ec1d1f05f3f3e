import { Router } from 'express';
import { ReportIdParams } from '../contract/reports';
import {
  MergeBody,
  NoteBody,
  PhotoModerationBody,
  RedactionBody,
  ReportEditBody,
  ReportModerationBody,
  StaffPhotoParams,
  UnmergeBody,
} from '../contract/staff';
import { NotFoundError } from '../errors';
import { requirePrincipal } from '../auth/auth.middleware';
import { parse } from '../http/validate';
import * as editsService from './reports.edits';
import * as moderation from './reports.moderation';
import type { ReportsDeps } from './reports.service';

/** A photo path that does not parse is a photo that does not exist. */
function photoParams(params: unknown): { id: string; n: number } {
  const parsed = StaffPhotoParams.safeParse(params);
  if (!parsed.success) throw NotFoundError('photo_not_found', 'Photo not found.');
  return parsed.data;
}

/**
 * Staff routes that work on one report besides its status: edits (category, priority,
 * location), merging duplicates, internal notes and public updates, moderation of the report
 * and its photos. Each answers the updated report as staff see it.
 */
export function staffEditsRoutes(deps: ReportsDeps): Router {
  const router = Router();

  router.patch('/staff/reports/:id', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.json(await editsService.editReport(deps, req, p, id, parse(ReportEditBody, req.body ?? {})));
  });

  router.post('/staff/reports/:id/merge', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.json(await editsService.mergeDuplicates(deps, req, p, id, parse(MergeBody, req.body ?? {})));
  });

  router.post('/staff/reports/:id/unmerge', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.json(await editsService.unmergeDuplicates(deps, req, p, id, parse(UnmergeBody, req.body ?? {})));
  });

  router.post('/staff/reports/:id/notes', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    const body = parse(NoteBody, req.body ?? {});
    res.status(201).json(await editsService.addMessage(deps, req, p, id, 'note', body));
  });

  router.post('/staff/reports/:id/updates', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    const body = parse(NoteBody, req.body ?? {});
    res.status(201).json(await editsService.addMessage(deps, req, p, id, 'public_update', body));
  });

  router.patch('/staff/reports/:id/moderation', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.json(await moderation.moderateReport(deps, req, p, id, parse(ReportModerationBody, req.body ?? {})));
  });

  router.patch('/staff/reports/:id/photos/:n', async (req, res) => {
    const p = requirePrincipal(req);
    const { id, n } = photoParams(req.params);
    const body = parse(PhotoModerationBody, req.body ?? {});
    res.json(await moderation.moderatePhoto(deps, req, p, id, n, body));
  });

  router.post('/staff/reports/:id/photos/:n/redaction', async (req, res) => {
    const p = requirePrincipal(req);
    const { id, n } = photoParams(req.params);
    const body = parse(RedactionBody, req.body ?? {});
    res.json(await moderation.redactReportPhoto(deps, req, p, id, n, body));
  });

  router.delete('/staff/reports/:id/photos/:n/original', async (req, res) => {
    const p = requirePrincipal(req);
    const { id, n } = photoParams(req.params);
    res.json(await moderation.deleteOriginal(deps, req, p, id, n));
  });

  return router;
}
