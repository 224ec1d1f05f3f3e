import { Router, type Request } from 'express';
import multer from 'multer';
import { LIMITS } from '../contract/limits';
import {
  ListPlansQuery,
  PlanIdParams,
  PlanPreviewRequest,
  SavePlansRequest,
  StopParams,
  StopPhotoQuery,
  StopUpdateRequest,
} from '../contract/plans';
import { requirePrincipal } from '../auth/auth.middleware';
import { can, communesWhere, type Permission } from '../auth/policy';
import { authorise } from '../auth/scope';
import { listCommunes } from '../communes/communes.repo';
import { NotFoundError } from '../errors';
import { parse } from '../http/validate';
import { sendPhotoFile } from '../photos/photos.http';
import { planToGpx } from './plans.gpx';
import * as service from './plans.service';

const planNotFound = () => NotFoundError('plan_not_found', 'Plan not found.');

/** An after-photo is optional; the same limits as a report's photos. */
const afterPhoto = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LIMITS.maxPhotoBytes, files: 1, fields: 5, fieldSize: LIMITS.maxFieldBytes, parts: 6 },
}).single('photo');

/** Plans routes: supervisors plan (plans:write), crews follow and update stops. */
export function plansRoutes(deps: service.PlansDeps): Router {
  const router = Router();

  /** Authorises `permission` on the commune named in the body; the service then works inside it. */
  const onCommune = async (
    req: Request,
    communeId: number,
    permission: Permission,
  ): Promise<service.Actor> => {
    const principal = requirePrincipal(req);
    await authorise(deps.pool, req, principal, permission, {
      type: 'commune',
      id: String(communeId),
      communeId,
    });
    return { userId: principal.userId, communeIds: [communeId] };
  };

  /** Authorises `permission` on a plan's commune; another commune's plan is a 404 like a missing one. */
  const onPlan = async (req: Request, planId: string, permission: Permission): Promise<service.Actor> => {
    const principal = requirePrincipal(req);
    const communeId = await service.communeOfPlan(deps, planId).catch(() => undefined);
    if (communeId === undefined) throw planNotFound();
    await authorise(
      deps.pool,
      req,
      principal,
      permission,
      { type: 'plan', id: planId, communeId },
      planNotFound,
    );
    return { userId: principal.userId, communeIds: [communeId] };
  };

  router.post('/plans/preview', async (req, res) => {
    const body = parse(PlanPreviewRequest, req.body);
    res.json(await service.preview(deps, await onCommune(req, body.communeId, 'plans:write'), body));
  });

  router.post('/plans', async (req, res) => {
    const body = parse(SavePlansRequest, req.body);
    res
      .status(201)
      .json(await service.saveWithTravel(deps, await onCommune(req, body.communeId, 'plans:write'), body));
  });

  router.get('/plans', async (req, res) => {
    const q = parse(ListPlansQuery, req.query);
    const principal = requirePrincipal(req);
    const where = communesWhere(principal, 'plans:read');
    const communeIds = where === 'all' ? (await listCommunes(deps.pool)).map((c) => c.id) : where;
    if (q.communeId !== undefined) await onCommune(req, q.communeId, 'plans:read');
    // Crews never see drafts: only those who may plan in every listed commune do.
    const planner = communeIds.every((id) => can(principal, 'plans:write', id));
    const actor = {
      userId: principal.userId,
      communeIds: q.communeId !== undefined ? [q.communeId] : communeIds,
    };
    res.json({
      items: await service.list(deps, actor, q, !planner),
      // The caller's crews: a crew member's phone shows those rounds first.
      myCrewIds: await service.myCrewIds(deps, actor),
    });
  });

  router.get('/plans/:id.gpx', async (req, res) => {
    const { id } = parse(PlanIdParams, req.params, 'invalid_id');
    const plan = await service.get(deps, await onPlan(req, id, 'plans:read'), id);
    res.setHeader('Content-Type', 'application/gpx+xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="vigie-${plan.date}-${plan.workType}.gpx"`);
    res.send(planToGpx(plan));
  });

  router.get('/plans/:id', async (req, res) => {
    const { id } = parse(PlanIdParams, req.params, 'invalid_id');
    const actor = await onPlan(req, id, 'plans:read');
    const plan = await service.get(deps, actor, id);
    if (plan.status === 'draft' && !can(requirePrincipal(req), 'plans:write', plan.communeId))
      throw planNotFound();
    res.json(plan);
  });

  router.post('/plans/:id/publish', async (req, res) => {
    const { id } = parse(PlanIdParams, req.params, 'invalid_id');
    res.json(await service.publish(deps, await onPlan(req, id, 'plans:write'), id));
  });

  router.post('/plans/:id/close', async (req, res) => {
    const { id } = parse(PlanIdParams, req.params, 'invalid_id');
    res.json(await service.close(deps, await onPlan(req, id, 'plans:write'), id));
  });

  router.put(
    '/plans/:id/stops/:reportId',
    async (req, _res, next) => {
      const { id } = parse(StopParams, req.params, 'invalid_id');
      await onPlan(req, id, 'reports:status');
      next();
    },
    (req, res, next) => (req.is('multipart/form-data') ? afterPhoto(req, res, next) : next()),
    async (req, res) => {
      const { id, reportId } = parse(StopParams, req.params, 'invalid_id');
      const body = parse(StopUpdateRequest, { ...(req.body as object) });
      const actor = await onPlan(req, id, 'reports:status');
      res.json(await service.updateStop(deps, actor, id, reportId, body, req.file?.buffer));
    },
  );

  router.get('/plans/:id/stops/:reportId/photo', async (req, res) => {
    const params = StopParams.safeParse(req.params);
    if (!params.success) throw NotFoundError('photo_not_found', 'Photo not found.');
    const { id, reportId } = params.data;
    const { size } = parse(StopPhotoQuery, req.query);
    const actor = await onPlan(req, id, 'plans:read');
    await sendPhotoFile(req, res, await service.stopPhotoFile(deps, actor, id, reportId, size), 'Cookie');
  });

  return router;
}
