import { Router } from 'express';
import type { Pool } from 'pg';
import { requirePrincipal } from '../auth/auth.middleware';
import { communesWhere } from '../auth/policy';
import { listCommunes } from '../communes/communes.repo';
import { REPORTER_TOKEN_HEADER, ReporterToken } from '../contract/reports';
import { ValidationError } from '../errors';
import { hashToken } from '../reports/reports.service';
import type { EventsHub } from './events.hub';
import { communeEventsAfter, latestEventId, reporterEventsAfter } from './events.repo';
import { resumeId, serveEventStream } from './events.stream';

/** Live streams: staff see their communes' report and stop changes; residents their own reports'. */
export function eventsRoutes(pool: Pool, hub: EventsHub): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const principal = requirePrincipal(req);
    const where = communesWhere(principal, 'reports:read');
    const communeIds = where === 'all' ? (await listCommunes(pool)).map((c) => c.id) : where;
    const start = resumeId(req) ?? (await latestEventId(pool));
    await serveEventStream(req, res, hub, start, (after, limit) =>
      communeEventsAfter(pool, communeIds, after, limit),
    );
  });

  router.get('/reports/mine/events', async (req, res) => {
    const token = ReporterToken.safeParse(req.get(REPORTER_TOKEN_HEADER));
    if (!token.success) {
      throw ValidationError(
        'The X-Reporter-Token header is required.',
        'X-Reporter-Token',
        'invalid_reporter_token',
      );
    }
    const tokenHash = hashToken(token.data);
    const start = resumeId(req) ?? (await latestEventId(pool));
    await serveEventStream(req, res, hub, start, (after, limit) =>
      reporterEventsAfter(pool, tokenHash, after, limit),
    );
  });

  return router;
}
