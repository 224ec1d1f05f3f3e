import { Router, type Request } from 'express';
import type { Pool } from 'pg';
import {
  AuditQuery,
  CommuneParams,
  CommuneSettingsBody,
  CommuneUserParams,
  CommuneUserRoleParams,
  CreateUserBody,
} from '../contract/staff';
import { NotFoundError } from '../errors';
import { listCommuneAudit } from '../audit/audit.repo';
import { auditDenied, fromRequest } from '../audit/audit.service';
import { communeFor } from '../auth/scope';
import { parse } from '../http/validate';
import * as repo from './users.repo';
import * as service from './users.service';
import { updateCommuneSettings } from '../privacy/privacy.service';

const userNotFound = () => NotFoundError('user_not_found', 'User not found.');

/**
 * A user of the commune named in the path, for its admins. A user who holds no role there
 * answers exactly like one that does not exist.
 */
async function communeUser(pool: Pool, req: Request) {
  const { commune: slug, userId } = parse(CommuneUserParams, req.params, 'invalid_id');
  const { principal, commune } = await communeFor(pool, req, slug, 'users:manage');
  const user = await repo.findCommuneUser(pool, commune.id, userId);
  if (!user) {
    if (await repo.findUserById(pool, userId))
      await auditDenied(pool, req, { type: 'user', id: userId, communeId: commune.id });
    throw userNotFound();
  }
  return { principal, commune, user };
}

/** The admins' JSON API: users and security settings of their commune, and its audit log. */
export function usersRoutes(pool: Pool): Router {
  const router = Router();
  const base = '/staff/communes/:commune';

  router.get(`${base}/users`, async (req, res) => {
    const { commune } = await communeFor(pool, req, parse(CommuneParams, req.params).commune, 'users:manage');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ items: await repo.listCommuneUsers(pool, commune.id) });
  });

  router.post(`${base}/users`, async (req, res) => {
    const { commune } = await communeFor(pool, req, parse(CommuneParams, req.params).commune, 'users:manage');
    const body = parse(CreateUserBody, req.body ?? {});
    const out = await service.createUser(pool, fromRequest(req), {
      email: body.email,
      password: body.password,
      commune: { id: commune.id, role: body.role },
    });
    res.status(out.created ? 201 : 200).json(await repo.findCommuneUser(pool, commune.id, out.id));
  });

  router.put(`${base}/users/:userId/roles/:role`, async (req, res) => {
    const { role } = parse(CommuneUserRoleParams, req.params, 'invalid_id');
    const { commune, user } = await communeUser(pool, req);
    await service.grantRole(pool, fromRequest(req), user.id, commune.id, role);
    res.json(await repo.findCommuneUser(pool, commune.id, user.id));
  });

  router.delete(`${base}/users/:userId/roles/:role`, async (req, res) => {
    const { role } = parse(CommuneUserRoleParams, req.params, 'invalid_id');
    const { principal, commune, user } = await communeUser(pool, req);
    await service.revokeRole(pool, fromRequest(req), user.id, commune.id, role, !principal.superadmin);
    // The user may now hold no role here: then they are no longer this commune's to see.
    const after = await repo.findCommuneUser(pool, commune.id, user.id);
    if (after) res.json(after);
    else res.status(204).end();
  });

  router.post(`${base}/users/:userId/disable`, async (req, res) => {
    const { principal, commune, user } = await communeUser(pool, req);
    await service.disableUserFor(pool, fromRequest(req), principal, user.id, commune.id);
    res.json(await repo.findCommuneUser(pool, commune.id, user.id));
  });

  router.post(`${base}/users/:userId/enable`, async (req, res) => {
    const { principal, commune, user } = await communeUser(pool, req);
    await service.enableUserFor(pool, fromRequest(req), principal, user.id, commune.id);
    res.json(await repo.findCommuneUser(pool, commune.id, user.id));
  });

  router.get(`${base}/settings`, async (req, res) => {
    const { commune } = await communeFor(
      pool,
      req,
      parse(CommuneParams, req.params).commune,
      'settings:manage',
    );
    res.json(await repo.getCommuneSettings(pool, commune.id));
  });

  router.patch(`${base}/settings`, async (req, res) => {
    const { commune } = await communeFor(
      pool,
      req,
      parse(CommuneParams, req.params).commune,
      'settings:manage',
    );
    const body = parse(CommuneSettingsBody, req.body ?? {});
    await updateCommuneSettings(pool, fromRequest(req), commune.id, body);
    res.json(await repo.getCommuneSettings(pool, commune.id));
  });

  router.get(`${base}/audit`, async (req, res) => {
    const { commune } = await communeFor(pool, req, parse(CommuneParams, req.params).commune, 'audit:read');
    const q = parse(AuditQuery, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ items: await listCommuneAudit(pool, commune.id, q.limit, q.before) });
  });

  return router;
}
