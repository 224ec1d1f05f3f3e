import type { RequestHandler } from 'express';
import { hasSessionCookie } from '../auth/sessions';
import { CsrfError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard, by Fetch Metadata with an Origin fallback (no token to
 * carry around): a state-changing request that carries a Vigie session cookie, and every
 * sign-in (login CSRF), must come from a Vigie page. Browsers say where a request comes from in
 * Sec-Fetch-Site (all current ones) or at least Origin; a request with neither is not from a
 * browser, so no cookie was attached behind its user's back. GET never changes state.
 */
export const csrfGuard: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  if (!hasSessionCookie(req) && !req.path.startsWith('/auth/')) return next();
  const site = req.get('sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return next();
    throw CsrfError();
  }
  const origin = req.get('origin');
  if (origin === undefined) return next();
  if (origin !== `${req.protocol}://${req.host}`) throw CsrfError();
  next();
};
