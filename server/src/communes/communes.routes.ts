import { Router } from 'express';
import type { Pool } from 'pg';
import { CategoriesQuery } from '../contract/communes';
import { parse } from '../http/validate';
import * as service from './communes.service';

/** Public routes: communes and their categories. */
export function communesRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/communes', async (_req, res) => {
    res.json(await service.listCommunes(pool));
  });
  router.get('/categories', async (req, res) => {
    const q = parse(CategoriesQuery, req.query);
    res.json(await service.categoriesAt(pool, q.lat, q.lon));
  });
  return router;
}
