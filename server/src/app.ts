import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Pool } from 'pg';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config';
import { LIMITS } from './contract/limits';
import { communesRoutes } from './communes/communes.routes';
import { NotFoundError } from './errors';
import { apiNotFound, errorHandler } from './http/errors.middleware';
import { openApiDocument } from './http/openapi';
import type { PhotoStore } from './photos/photos.store';
import { reportsRoutes } from './reports/reports.routes';

/** Everything the HTTP app needs, passed in so tests can build one on their own database. */
export interface AppDeps {
  config: Pick<Config, 'clientDist' | 'tileUrl' | 'trustProxyHops'>;
  pool: Pool;
  photos: PhotoStore;
  log: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function tileOrigin(template: string): string | undefined {
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return undefined;
  }
}

/** Builds the Express app: API under /api, the built client at /. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxyHops);
  app.set('etag', false);

  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const tiles = tileOrigin(deps.config.tileUrl);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
          connectSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      // HSTS only means something over HTTPS; helmet sends it, browsers ignore it over plain HTTP.
      strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: LIMITS.maxJsonBytes }));
  api.get('/health', async (_req, res) => {
    try {
      await deps.pool.query('SELECT 1');
      res.json({ ok: true, db: 'up' });
    } catch {
      res.status(503).json({ ok: false, db: 'down' });
    }
  });
  const openapi = openApiDocument();
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.get('/config', (_req, res) => {
    res.json({ tileUrl: deps.config.tileUrl });
  });
  api.use(communesRoutes(deps.pool));
  api.use(reportsRoutes({ pool: deps.pool, photos: deps.photos }));
  api.use(apiNotFound);
  app.use('/api', api);

  // The built client. Dotfiles are never served; unknown paths without an extension get the
  // app shell (client-side routing); anything else is a plain 404.
  const dist = deps.config.clientDist;
  const index = path.join(dist, 'index.html');
  // Never answer for server internals, whatever the client build contains.
  const internal = /^\/(\.|node_modules|uploads|data|server|db)(\/|$)/i;
  app.use((req, _res, next) => next(internal.test(req.path) ? NotFoundError() : undefined));
  app.use(express.static(dist, { dotfiles: 'ignore', index: false, fallthrough: true, maxAge: '1h' }));
  app.get(/^\/(?!api\/)(?!.*\.[a-z0-9]+$).*$/i, (req, res, next) => {
    if (!fs.existsSync(index)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  app.use((_req, _res, next) => next(NotFoundError()));
  app.use(errorHandler);
  return app;
}
