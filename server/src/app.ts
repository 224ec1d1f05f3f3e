import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Pool } from 'pg';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { sessionMiddleware } from './auth/auth.middleware';
import { authRoutes } from './auth/auth.routes';
import type { AuthDeps } from './auth/auth.service';
import {
  DEFAULT_OPEN311,
  DEFAULT_SECURITY,
  type Config,
  type Open311Config,
  type OsrmConfig,
  type SecurityConfig,
} from './config';
import { LIMITS } from './contract/limits';
import { communesRoutes } from './communes/communes.routes';
import { addressesRoutes } from './addresses/addresses.routes';
import { NotFoundError } from './errors';
import { csrfGuard } from './http/csrf';
import { apiNotFound, errorHandler } from './http/errors.middleware';
import { openApiDocument } from './http/openapi';
import { hsts, pathGuard } from './http/security';
import type { PhotoStore } from './photos/photos.store';
import { reportsRoutes, staffReportsRoutes } from './reports/reports.routes';
import { staffEditsRoutes } from './reports/reports.edits.routes';
import { usersRoutes } from './users/users.routes';
import { settingsRoutes } from './settings/settings.routes';
import { EventsHub } from './events/events.hub';
import { eventsRoutes } from './events/events.routes';
import { plansRoutes } from './plans/plans.routes';
import { statsRoutes } from './stats/stats.routes';
import { exportsRoutes } from './exports/exports.routes';
import { unsubscribeRoutes } from './notifications/notifications.routes';
import { erasureRoutes, privacyNoticeRoutes } from './privacy/privacy.routes';
import { createMediaFetcher } from './open311/open311.media';
import { open311Routes } from './open311/open311.routes';
import { historyRoutes } from './history/history.routes';
import { osrmTable } from './plans/osrm';

/** Everything the HTTP app needs, passed in so tests can build one on their own database. */
export interface AppDeps {
  config: Pick<Config, 'clientDist' | 'tileUrl' | 'trustProxyHops'> & {
    /** Attribution shown under the map tiles (TILE_ATTRIBUTION). */
    tileAttribution?: string;
    /** Session lifetimes and abuse limits; the defaults when absent. */
    security?: SecurityConfig;
    /** Open311 posting rate and media_url download limits; the defaults when absent. */
    open311?: Open311Config;
    /** Road travel times for the planner (OSRM_URL); great-circle when absent. */
    osrm?: OsrmConfig | undefined;
  };
  pool: Pool;
  photos: PhotoStore;
  log: Logger;
  /** Clock for TOTP codes, statistics and export dates (milliseconds); Date.now when absent. */
  now?: () => number;
  /** Wakes live streams; a polling hub of this app's own when absent (tests). */
  events?: EventsHub;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function tileOrigin(template: string): string | undefined {
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return undefined;
  }
}

/** A hub that polls the events table (no LISTEN): what an app built without one uses. */
function startedHub(pool: Pool): EventsHub {
  const hub = new EventsHub(pool);
  void hub.start(false).catch(() => {});
  return hub;
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
          // Open311 clients may put their api_key in the query string: keep it out of the logs.
          url: req.url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]'),
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
      // Sent by `hsts` below, only over HTTPS.
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use(hsts);
  app.use(pathGuard);

  const security = deps.config.security ?? DEFAULT_SECURITY;
  const authDeps: AuthDeps = { pool: deps.pool, security, ...(deps.now ? { now: deps.now } : {}) };
  const reportsDeps = { pool: deps.pool, photos: deps.photos, limits: security.reports };

  const api = express.Router();
  api.use(csrfGuard);
  api.use(express.json({ limit: LIMITS.maxJsonBytes }));
  api.use(sessionMiddleware(authDeps));
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
    res.json({ tileUrl: deps.config.tileUrl, attribution: deps.config.tileAttribution ?? '' });
  });
  api.use(authRoutes(authDeps));
  api.use(communesRoutes(deps.pool));
  api.use(addressesRoutes(deps.pool));
  const clock = () => new Date(deps.now ? deps.now() : Date.now());
  // Before the resident routes: /reports/:id would answer 400 for `export.csv`.
  api.use(exportsRoutes({ pool: deps.pool, now: clock }));
  api.use(reportsRoutes(reportsDeps));
  // Before the staff report routes: /staff/reports/clusters and /count are not report ids.
  api.use(historyRoutes({ pool: deps.pool }));
  api.use(erasureRoutes(deps.pool));
  api.use(staffReportsRoutes(reportsDeps));
  api.use(staffEditsRoutes(reportsDeps));
  api.use(usersRoutes(deps.pool));
  api.use(statsRoutes({ pool: deps.pool, now: clock }));
  api.use(settingsRoutes(deps.pool));
  const hub = deps.events ?? startedHub(deps.pool);
  const osrm = deps.config.osrm;
  api.use(
    plansRoutes({
      pool: deps.pool,
      photos: deps.photos,
      onChange: () => hub.wake(),
      ...(osrm ? { roadTravel: (points) => osrmTable({ config: osrm }, points) } : {}),
    }),
  );
  api.use(eventsRoutes(deps.pool, hub));
  api.use(apiNotFound);
  app.use('/api', api);

  // Pages people open from an email or print: the one-click unsubscribe link (no session, no
  // CSRF guard: the random token is the authority) and each commune's privacy notice.
  app.use(unsubscribeRoutes(deps.pool));
  app.use(privacyNoticeRoutes(deps.pool));
  // Open311 GeoReport v2: outside /api, with the specification's own error format.
  const open311 = deps.config.open311 ?? DEFAULT_OPEN311;
  app.use(
    '/open311/v2',
    open311Routes({
      pool: deps.pool,
      photos: deps.photos,
      config: open311,
      fetchMedia: createMediaFetcher({
        allowPrivate: open311.mediaAllowPrivate,
        timeoutMs: open311.mediaTimeoutMs,
        maxBytes: LIMITS.maxPhotoBytes,
      }),
    }),
  );

  // The built client: static files (dotfiles and internals already answered 404 by pathGuard),
  // then the app shells for client-side routing: /staff/... for staff, anything else without an
  // extension for residents. A path with an extension that is not a file is a plain 404.
  const dist = deps.config.clientDist;
  app.use(express.static(dist, { dotfiles: 'ignore', index: false, fallthrough: true, maxAge: '1h' }));
  const shell =
    (file: string): express.RequestHandler =>
    (req, res, next) => {
      const index = path.join(dist, file);
      if (/\.[a-z0-9]+$/i.test(req.path) || !fs.existsSync(index)) {
        next(NotFoundError());
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    };
  app.get('/staff{/*rest}', shell(path.join('staff', 'index.html')));
  app.get('/{*rest}', shell('index.html'));
  app.use((_req, _res, next) => next(NotFoundError()));
  app.use(errorHandler);
  return app;
}
