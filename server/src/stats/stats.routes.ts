import { Router } from 'express';
import { HotspotsQuery, StatsQuery, TimelineQuery } from '../contract/stats';
import { requirePrincipal } from '../auth/auth.middleware';
import { parse } from '../http/validate';
import * as service from './stats.service';

/**
 * The town hall's statistics, each on the shared report filter (`commune`, `status`,
 * `category`, `priority`, `from`, `to`, `q`, `address`, `area`, `bbox`): supervisors and admins
 * of the communes in view (stats:read).
 */
export function statsRoutes(deps: service.StatsDeps): Router {
  const router = Router();
  router.use('/stats', (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });

  router.get('/stats/summary', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.summary(deps, req, p, parse(StatsQuery, req.query)));
  });

  router.get('/stats/timeline', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.timeline(deps, req, p, parse(TimelineQuery, req.query)));
  });

  router.get('/stats/resolution', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.resolution(deps, req, p, parse(StatsQuery, req.query)));
  });

  router.get('/stats/backlog', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.backlog(deps, req, p, parse(StatsQuery, req.query)));
  });

  router.get('/stats/hotspots', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.hotspots(deps, req, p, parse(HotspotsQuery, req.query)));
  });

  return router;
}
