import { Router, type Request } from 'express';
import type { Pool } from 'pg';
import { PrivacyNoticeParams, PrivacyNoticeQuery } from '../contract/privacy';
import { REPORTER_TOKEN_HEADER, ReportIdParams, ReporterToken } from '../contract/reports';
import { NotFoundError, ValidationError } from '../errors';
import { parse } from '../http/validate';
import { privacyNoticePage, unknownCommunePage } from './privacy.notice';
import { findCommunePrivacy } from './privacy.repo';
import { eraseOwnContact } from './privacy.service';

function requestId(req: Request): string | null {
  return typeof req.id === 'string' ? req.id : req.id === undefined ? null : String(req.id);
}

/** The resident's erasure of their contact data (under /api). */
export function erasureRoutes(pool: Pool): Router {
  const router = Router();
  router.delete('/reports/:id/contact', async (req, res) => {
    const { id } = parse(ReportIdParams, req.params, 'invalid_id');
    const token = ReporterToken.safeParse(req.get(REPORTER_TOKEN_HEADER));
    if (!token.success)
      throw ValidationError(
        'The X-Reporter-Token header of the device that sent the report is required.',
        'X-Reporter-Token',
        'invalid_reporter_token',
      );
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await eraseOwnContact(pool, id, token.data, requestId(req)));
  });
  return router;
}

/** The printable privacy notice of a commune, a public HTML page at /privacy/:commune. */
export function privacyNoticeRoutes(pool: Pool, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.get('/privacy/:commune', async (req, res) => {
    const { commune: slug } = parse(PrivacyNoticeParams, req.params, 'invalid_id');
    const { lang } = parse(PrivacyNoticeQuery, req.query);
    const commune = await findCommunePrivacy(pool, slug);
    if (!commune) {
      // A person following a link reads a page; an API client gets the usual JSON error.
      if (req.accepts(['json', 'html']) === 'html') {
        res.status(404).type('html').send(unknownCommunePage());
        return;
      }
      throw NotFoundError('commune_not_found', 'Commune not found.');
    }
    // Settings change rarely, but a printed notice must say what is true now: not cached for long.
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Language', lang);
    res.type('html').send(privacyNoticePage(commune, lang, now()));
  });
  return router;
}
