import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import { UnsubscribeParams } from '../contract/privacy';
import { confirmPage, donePage, invalidPage } from './notifications.pages';
import * as service from './notifications.service';

function requestId(req: Request): string | null {
  return typeof req.id === 'string' ? req.id : req.id === undefined ? null : String(req.id);
}

/** The link's token, or undefined when it is malformed (the same page as an unknown one). */
function tokenOf(req: Request): string | undefined {
  const parsed = UnsubscribeParams.safeParse(req.params);
  return parsed.success ? parsed.data.token : undefined;
}

function send(res: Response, status: number, body: string): void {
  // The token is in the URL: never sent on as a Referer, never cached, never indexed.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.status(status).type('html').send(body);
}

/**
 * One-click unsubscribe (RFC 8058), outside /api: the link of every notification email. GET
 * shows a confirmation page (link scanners follow links); POST unsubscribes, from that page's
 * form or from a mail client's List-Unsubscribe-Post request, without any session. The POST
 * body (`List-Unsubscribe=One-Click`) is not needed and not read.
 */
export function unsubscribeRoutes(pool: Pool, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.get('/unsubscribe/:token', async (req, res) => {
    const token = tokenOf(req);
    const target = token && (await service.findUnsubscribe(pool, token));
    if (!target) send(res, 404, invalidPage());
    else send(res, 200, confirmPage(target));
  });

  router.post('/unsubscribe/:token', async (req, res) => {
    const token = tokenOf(req);
    const target = token && (await service.unsubscribe(pool, token, now(), requestId(req)));
    if (!target) send(res, 404, invalidPage());
    else send(res, 200, donePage(target));
  });

  return router;
}
