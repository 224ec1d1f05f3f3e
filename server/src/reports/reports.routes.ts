import fs from 'node:fs';
import { Router, type Request } from 'express';
import multer from 'multer';
import { LIMITS } from '../contract/limits';
import {
  CreateReportFields,
  ListReportsQuery,
  NearbyQuery,
  PhotoParams,
  PhotoQuery,
  REPORTER_TOKEN_HEADER,
  ReportIdParams,
  ReporterToken,
} from '../contract/reports';
import { StaffReportsQuery, StatusChangeBody } from '../contract/staff';
import { AppError, NotFoundError, ValidationError } from '../errors';
import { auditDenied } from '../audit/audit.service';
import { requirePrincipal } from '../auth/auth.middleware';
import { parse } from '../http/validate';
import * as service from './reports.service';

/** Multipart parsing with explicit limits: nothing unbounded reaches memory. */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: {
    fileSize: LIMITS.maxPhotoBytes,
    files: LIMITS.maxPhotos,
    fields: LIMITS.maxFields,
    fieldSize: LIMITS.maxFieldBytes,
    fieldNameSize: 100,
    parts: LIMITS.maxFields + LIMITS.maxPhotos,
    headerPairs: 100,
  },
}).array('photos', LIMITS.maxPhotos);

function requiredToken(req: Request): string {
  const raw = req.get(REPORTER_TOKEN_HEADER);
  const result = ReporterToken.safeParse(raw);
  if (!result.success) {
    throw ValidationError(
      raw === undefined
        ? 'The X-Reporter-Token header is required.'
        : `X-Reporter-Token: ${result.error.issues[0]?.message ?? 'invalid'}`,
      'X-Reporter-Token',
      'invalid_reporter_token',
    );
  }
  return result.data;
}

function optionalToken(req: Request): string | undefined {
  const result = ReporterToken.safeParse(req.get(REPORTER_TOKEN_HEADER));
  return result.success ? result.data : undefined;
}

/** The resident-facing report routes. */
export function reportsRoutes(deps: service.ReportsDeps): Router {
  const router = Router();

  router.get('/reports', async (req, res) => {
    res.json(await service.listReports(deps, parse(ListReportsQuery, req.query)));
  });

  router.get('/reports/nearby', async (req, res) => {
    const q = parse(NearbyQuery, req.query);
    res.json({ items: await service.nearby(deps, q.lat, q.lon, q.category) });
  });

  router.get('/reports/mine', async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ items: await service.mine(deps, requiredToken(req)) });
  });

  router.put(
    '/reports/:id',
    async (req, _res, next) => {
      parse(ReportIdParams, req.params, 'invalid_id');
      const token = requiredToken(req);
      if (!req.is('multipart/form-data')) {
        throw new AppError(415, 'unsupported_media_type', 'Send the report as multipart/form-data.');
      }
      // Before the body is read: a flood costs a row update, not a photo pipeline.
      await service.limitUploads(deps, token, req.ip ?? '');
      next();
    },
    upload,
    async (req, res) => {
      const { id } = parse(ReportIdParams, req.params, 'invalid_id');
      const fields = parse(CreateReportFields, { ...(req.body as object) });
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      const outcome = await service.putReport(deps, id, requiredToken(req), fields, files);
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(outcome.created ? 201 : 200).json(outcome.report);
    },
  );

  router.get('/reports/:id', async (req, res) => {
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await service.getReport(deps, id, optionalToken(req)));
  });

  router.get('/reports/:id/photos/:n', async (req, res) => {
    const params = PhotoParams.safeParse(req.params);
    if (!params.success) throw NotFoundError('photo_not_found', 'Photo not found.');
    const { size, original } = parse(PhotoQuery, req.query);
    const { id, n } = params.data;
    const file = await service.photoFile(deps, id, n, size, {
      token: optionalToken(req),
      principal: req.principal,
      original: original === '1',
      denied: (communeId) => auditDenied(deps.pool, req, { type: 'photo', id: `${id}/${n}`, communeId }),
    });
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', file.etag);
    res.setHeader('Vary', `${REPORTER_TOKEN_HEADER}, Cookie`);
    if (req.get('if-none-match') === file.etag) {
      res.status(304).end();
      return;
    }
    const stream = fs.createReadStream(file.path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => {
        res.setHeader('Content-Type', 'image/jpeg');
        stream.pipe(res);
        stream.once('end', resolve);
      });
      stream.once('error', (err) => {
        // The row exists but the file is gone: the same 404 as for any missing photo.
        if (!res.headersSent) reject(NotFoundError('photo_not_found', 'Photo not found.'));
        else reject(err);
      });
    });
  });

  return router;
}

/**
 * Staff routes for reports, scoped by the signed-in user's communes: list, one report (with
 * the reporter's contact email for supervisors and admins), status changes. Exports of the
 * filtered list are in exports/ (`GET /api/reports/export.csv|geojson`).
 */
export function staffReportsRoutes(deps: service.ReportsDeps): Router {
  const router = Router();
  router.use('/staff', (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });

  router.get('/staff/reports', async (req, res) => {
    const p = requirePrincipal(req);
    res.json(await service.staffList(deps, req, p, parse(StaffReportsQuery, req.query)));
  });

  router.get('/staff/reports/:id', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    res.json(await service.staffReport(deps, req, p, id));
  });

  router.post('/staff/reports/:id/status', async (req, res) => {
    const p = requirePrincipal(req);
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    const body = parse(StatusChangeBody, req.body ?? {});
    res.json(await service.changeStatus(deps, req, p, id, body));
  });

  return router;
}
