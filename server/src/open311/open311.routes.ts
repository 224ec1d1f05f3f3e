import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import {
  OPEN311_LIMITS,
  Open311Format,
  Open311JurisdictionQuery,
  Open311RequestParams,
  Open311RequestsQuery,
  Open311ServiceParams,
} from '../contract/open311';
import { AppError, NotFoundError, ValidationError } from '../errors';
import { parse } from '../http/validate';
import { toXml, type SparkValue } from './open311.xml';
import * as service from './open311.service';

/** The format a path asks for by its extension; XML (the specification's required format) otherwise. */
function formatOf(req: Request): Open311Format {
  const ext = /\.([a-z]+)$/i.exec(req.path)?.[1]?.toLowerCase();
  return ext === 'json' ? 'json' : 'xml';
}

/** `services.json` -> json; an unknown extension is an unknown resource (404). */
function format(req: Request): Open311Format {
  const r = Open311Format.safeParse(req.params.format);
  if (!r.success) throw NotFoundError('route_not_found', 'Unknown format: use .xml or .json.');
  return r.data;
}

/** Sends an answer as JSON, or as the same value in XML under `root`. */
function send(res: Response, fmt: Open311Format, status: number, root: string, value: SparkValue): void {
  res.status(status);
  if (fmt === 'json') {
    res.type('application/json; charset=utf-8').send(JSON.stringify(value));
    return;
  }
  res.type('text/xml; charset=utf-8').send(toXml(root, value));
}

/** Origin of absolute URLs in answers (media_url, discovery), as the client reached this server. */
const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** Body-parser's refusals, in the client's words. */
function fromParser(err: Error & { type?: string; status?: number }): AppError | undefined {
  if (err.type === 'entity.too.large')
    return ValidationError(`The request body is larger than ${OPEN311_LIMITS.maxBodyBytes / 1024} KB.`);
  if (err.type === 'parameters.too.many') return ValidationError('The request has too many parameters.');
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported')
    return ValidationError('Send the form in UTF-8 (application/x-www-form-urlencoded; charset=utf-8).');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
    return ValidationError('The request body could not be read.');
  return undefined;
}

/**
 * Open311's error answer: an array of `{code, description}` (`<errors><error>...` in XML) in the
 * format of the resource asked for. The HTTP status is the specification's: 404 for what does
 * not exist, 403 for a missing or wrong api_key, 400 for anything else the client got wrong;
 * 429 past the posting rate (with Retry-After). Unknown errors are a logged 500 without details.
 */
const open311Errors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let e: AppError | undefined;
  if (err instanceof AppError) e = err;
  else if (err instanceof Error) e = fromParser(err);
  if (!e) req.log?.error({ err }, 'unhandled error');
  else if (e.status >= 500) req.log?.error({ err }, 'server error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = !e ? 500 : [403, 404, 429].includes(e.status) || e.status >= 500 ? e.status : 400;
  for (const [k, v] of Object.entries(e?.headers ?? {})) res.setHeader(k, v);
  const descriptions = !e
    ? ['Something went wrong on our side; please try again.']
    : e instanceof service.Open311Problems
      ? e.descriptions
      : [e.message];
  send(
    res,
    formatOf(req),
    status,
    'errors',
    descriptions.map((description) => ({ code: status, description })),
  );
};

/**
 * Open311 GeoReport v2 under `/open311/v2/`: one jurisdiction per commune (`jurisdiction_id` is
 * its slug), XML and JSON by extension. Reads are public; posting needs the commune's api_key.
 */
export function open311Routes(deps: service.Open311Deps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    // Public, read-only data without cookies: any web page may read it.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  });

  router.get('/discovery.:format', (req, res) => {
    const fmt = format(req);
    parse(Open311JurisdictionQuery, req.query);
    send(res, fmt, 200, 'discovery', service.discovery(origin(req), new Date()));
  });

  router.get('/services.:format', async (req, res) => {
    const fmt = format(req);
    const q = parse(Open311JurisdictionQuery, req.query);
    const j = await service.resolveJurisdiction(deps, q.jurisdiction_id);
    send(res, fmt, 200, 'services', await service.listServices(deps, j));
  });

  router.get('/services/:service_code.:format', async (req, res) => {
    const fmt = format(req);
    const params = Open311ServiceParams.safeParse(req.params);
    const q = parse(Open311JurisdictionQuery, req.query);
    const j = await service.resolveJurisdiction(deps, q.jurisdiction_id);
    if (!params.success)
      throw NotFoundError(
        'service_not_found',
        `service_code "${req.params.service_code}" was not found in this jurisdiction.`,
      );
    send(
      res,
      fmt,
      200,
      'service_definition',
      await service.serviceDefinition(deps, j, params.data.service_code),
    );
  });

  router.get('/requests.:format', async (req, res) => {
    const fmt = format(req);
    const q = parse(Open311RequestsQuery, req.query);
    const j = await service.resolveJurisdiction(deps, q.jurisdiction_id);
    send(res, fmt, 200, 'service_requests', await service.listRequests(deps, j, q, origin(req)));
  });

  router.post(
    '/requests.:format',
    (req, _res, next) => {
      format(req);
      if (!req.is('application/x-www-form-urlencoded'))
        throw ValidationError('Send the request as application/x-www-form-urlencoded.');
      next();
    },
    express.urlencoded({ extended: false, limit: OPEN311_LIMITS.maxBodyBytes, parameterLimit: 100 }),
    async (req, res) => {
      const fmt = format(req);
      const answer = await service.createRequest(deps, { ...req.query }, { ...(req.body as object) });
      res.setHeader('Cache-Control', 'no-store');
      send(res, fmt, 200, 'service_requests', [answer]);
    },
  );

  router.get('/requests/:service_request_id.:format', async (req, res) => {
    const fmt = format(req);
    const params = Open311RequestParams.safeParse(req.params);
    const q = parse(Open311JurisdictionQuery, req.query);
    const j = await service.resolveJurisdiction(deps, q.jurisdiction_id);
    if (!params.success)
      throw NotFoundError(
        'request_not_found',
        `service_request_id "${req.params.service_request_id}" was not found in this jurisdiction.`,
      );
    send(res, fmt, 200, 'service_requests', [
      await service.getRequest(deps, j, params.data.service_request_id, origin(req)),
    ]);
  });

  router.use((_req, _res, next) => next(NotFoundError('route_not_found', 'No such Open311 resource.')));
  router.use(open311Errors);
  return router;
}
