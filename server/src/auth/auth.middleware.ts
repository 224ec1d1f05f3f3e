import type { Request, RequestHandler } from 'express';
import { AuthenticationError } from '../errors';
import { loadSession, type AuthDeps } from './auth.service';
import type { Principal } from './policy';
import { hashSessionId, readSessionId } from './sessions';

/**
 * Attaches the signed-in staff member (if any) to the request: `req.principal` and
 * `req.staffSession`. An unknown, expired or idle session, or a disabled user, is simply no
 * session; routes that need one answer 401.
 */
export function sessionMiddleware(deps: AuthDeps): RequestHandler {
  return async (req, _res, next) => {
    const id = readSessionId(req, deps.security.allowHttpSignin);
    if (id) {
      const found = await loadSession(deps, hashSessionId(id));
      if (found) {
        req.principal = found.principal;
        req.staffSession = found.session;
      }
    }
    next();
  };
}

/** The signed-in staff member, or a 401. */
export function requirePrincipal(req: Request): Principal {
  if (!req.principal) throw AuthenticationError('Sign in first.');
  return req.principal;
}
