import { Router, type Request } from 'express';
import type { Pool } from 'pg';
import {
  CategoryParams,
  CreateCategoryBody,
  CreateCrewBody,
  CrewMemberParams,
  CrewParams,
  DepotBody,
  UpdateCategoryBody,
  UpdateCrewBody,
  WorkingHoursBody,
} from '../contract/settings';
import { CommuneParams } from '../contract/staff';
import { fromRequest } from '../audit/audit.service';
import { can, type Permission } from '../auth/policy';
import { communeFor } from '../auth/scope';
import { parse } from '../http/validate';
import * as service from './settings.service';

/**
 * A commune's settings, for its admins: categories (categories:manage), depot, working hours
 * and crews (settings:manage). The crew list is also for supervisors and crews (crews:read),
 * without the members. Another commune answers 404, like a missing one.
 */
export function settingsRoutes(pool: Pool): Router {
  const router = Router();
  const base = '/staff/communes/:commune';

  const commune = async (req: Request, permission: Permission) =>
    communeFor(pool, req, parse(CommuneParams.loose(), req.params).commune, permission);

  router.get(`${base}/categories`, async (req, res) => {
    const { commune: c } = await commune(req, 'categories:manage');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await service.listCategories(pool, c.id));
  });

  router.post(`${base}/categories`, async (req, res) => {
    const { commune: c } = await commune(req, 'categories:manage');
    const body = parse(CreateCategoryBody, req.body ?? {});
    res.status(201).json(await service.createCategory(pool, fromRequest(req), c.id, body));
  });

  router.patch(`${base}/categories/:code`, async (req, res) => {
    const { code } = parse(CategoryParams, req.params, 'invalid_id');
    const { commune: c } = await commune(req, 'categories:manage');
    const body = parse(UpdateCategoryBody, req.body ?? {});
    res.json(await service.updateCategory(pool, fromRequest(req), c.id, code, body));
  });

  router.delete(`${base}/categories/:code`, async (req, res) => {
    const { code } = parse(CategoryParams, req.params, 'invalid_id');
    const { commune: c } = await commune(req, 'categories:manage');
    await service.deleteCategory(pool, fromRequest(req), c.id, code);
    res.status(204).end();
  });

  router.get(`${base}/depot`, async (req, res) => {
    const { commune: c } = await commune(req, 'settings:manage');
    res.json(await service.getDepot(pool, c.id));
  });

  router.put(`${base}/depot`, async (req, res) => {
    const { commune: c } = await commune(req, 'settings:manage');
    const body = parse(DepotBody, req.body ?? {});
    res.json(await service.moveDepot(pool, fromRequest(req), c.id, body));
  });

  router.get(`${base}/working-hours`, async (req, res) => {
    const { commune: c } = await commune(req, 'settings:manage');
    res.json(await service.getWorkingHours(pool, c.id));
  });

  router.put(`${base}/working-hours`, async (req, res) => {
    const { commune: c } = await commune(req, 'settings:manage');
    const body = parse(WorkingHoursBody, req.body ?? {});
    res.json(await service.setWorkingHours(pool, fromRequest(req), c.id, body));
  });

  router.get(`${base}/crews`, async (req, res) => {
    const { principal, commune: c } = await commune(req, 'crews:read');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ items: await service.listCrews(pool, c.id, can(principal, 'settings:manage', c.id)) });
  });

  router.post(`${base}/crews`, async (req, res) => {
    const { commune: c } = await commune(req, 'settings:manage');
    const body = parse(CreateCrewBody, req.body ?? {});
    res.status(201).json(await service.createCrew(pool, fromRequest(req), c.id, body));
  });

  router.patch(`${base}/crews/:crewId`, async (req, res) => {
    const { crewId } = parse(CrewParams, req.params, 'invalid_id');
    const { commune: c } = await commune(req, 'settings:manage');
    const body = parse(UpdateCrewBody, req.body ?? {});
    res.json(await service.updateCrew(pool, fromRequest(req), c.id, crewId, body));
  });

  router.put(`${base}/crews/:crewId/members/:userId`, async (req, res) => {
    const { crewId, userId } = parse(CrewMemberParams, req.params, 'invalid_id');
    const { commune: c } = await commune(req, 'settings:manage');
    res.json(await service.setMember(pool, fromRequest(req), c.id, crewId, userId, true));
  });

  router.delete(`${base}/crews/:crewId/members/:userId`, async (req, res) => {
    const { crewId, userId } = parse(CrewMemberParams, req.params, 'invalid_id');
    const { commune: c } = await commune(req, 'settings:manage');
    res.json(await service.setMember(pool, fromRequest(req), c.id, crewId, userId, false));
  });

  return router;
}
