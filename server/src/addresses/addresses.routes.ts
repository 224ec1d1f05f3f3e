import { Router } from 'express';
import type { Pool } from 'pg';
import { AddressesQuery } from '../contract/addresses';
import { parse } from '../http/validate';
import * as service from './addresses.service';

/** Public address suggestions from the local table (no external geocoder: works air-gapped). */
export function addressesRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/addresses', async (req, res) => {
    res.json(await service.suggest(pool, parse(AddressesQuery, req.query)));
  });
  return router;
}
