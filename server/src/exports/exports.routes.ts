import { Router, type Request, type Response } from 'express';
import { ExportQuery, type ExportFormat } from '../contract/exports';
import { requirePrincipal } from '../auth/auth.middleware';
import { parse } from '../http/validate';
import { sendStream } from '../http/stream';
import * as service from './exports.service';

/**
 * Exports of the filtered report list for supervisors and admins (reports:export). Mounted
 * before the resident routes, where `/reports/:id` would take `export.csv` for an id.
 */
export function exportsRoutes(deps: service.ExportsDeps): Router {
  const router = Router();

  const send = (format: ExportFormat) => async (req: Request, res: Response) => {
    const p = requirePrincipal(req);
    const filter = parse(ExportQuery, req.query);
    const out = await service.prepareExport(deps, req, p, filter, format);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${out.filename}"`);
    res.setHeader('X-Export-Rows', String(out.rows));
    await sendStream(res, out.body);
  };

  router.get('/reports/export.csv', send('csv'));
  router.get('/reports/export.geojson', send('geojson'));
  return router;
}
