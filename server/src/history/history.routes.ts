import { Router } from 'express';
import { ClustersQuery, CountQuery } from '../contract/history';
import { requirePrincipal } from '../auth/auth.middleware';
import { parse } from '../http/validate';
import * as service from './history.service';

/**
 * The history screen's own staff routes: map clusters and the size of a filtered list. Mounted
 * before the staff report routes, whose `/staff/reports/:id` would otherwise take these paths.
 */
export function historyRoutes(deps: service.HistoryDeps): Router {
  const router = Router();

  router.get('/staff/reports/clusters', async (req, res) => {
    const p = requirePrincipal(req);
    const q = parse(ClustersQuery, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await service.clusters(deps, req, p, q));
  });

  router.get('/staff/reports/count', async (req, res) => {
    const p = requirePrincipal(req);
    const q = parse(CountQuery, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await service.count(deps, req, p, q));
  });

  return router;
}
