import { Router } from 'express';
import { ChangePasswordBody, LoginBody, TotpDisableBody, TotpEnableBody } from '../contract/auth';
import { AuthenticationError, HttpsRequiredError } from '../errors';
import { parse } from '../http/validate';
import { requirePrincipal } from './auth.middleware';
import * as service from './auth.service';
import { cookieMode, serializeCookie } from './sessions';

/** Staff sign-in, sign-out, the signed-in user, password and second factor. */
export function authRoutes(deps: service.AuthDeps): Router {
  const router = Router();
  router.use('/auth', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/auth/login', async (req, res) => {
    const mode = cookieMode(req, deps.security.allowHttpSignin);
    if (!mode) throw HttpsRequiredError();
    const body = parse(LoginBody, req.body ?? {});
    const out = await service.signIn(deps, body, req, req.staffSession?.idHash);
    // Without "remember me" the cookie has no Max-Age and ends with the browser session.
    res.setHeader(
      'Set-Cookie',
      serializeCookie(mode.name, out.sessionId, {
        secure: mode.secure,
        maxAgeSeconds: body.remember ? deps.security.sessionMaxSeconds : undefined,
      }),
    );
    res.json(service.meAnswer(out.principal, out.session, deps.security));
  });

  router.post('/auth/logout', async (req, res) => {
    await service.signOut(deps, req);
    const mode = cookieMode(req, deps.security.allowHttpSignin);
    if (mode)
      res.setHeader('Set-Cookie', serializeCookie(mode.name, '', { secure: mode.secure, maxAgeSeconds: 0 }));
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    const p = requirePrincipal(req);
    if (!req.staffSession) throw AuthenticationError();
    res.json(service.meAnswer(p, req.staffSession, deps.security));
  });

  router.post('/auth/password', async (req, res) => {
    const p = requirePrincipal(req);
    await service.changePassword(deps, req, p, parse(ChangePasswordBody, req.body ?? {}));
    res.status(204).end();
  });

  router.post('/auth/totp/setup', async (req, res) => {
    res.json(await service.setupTotp(deps, requirePrincipal(req)));
  });

  router.post('/auth/totp/enable', async (req, res) => {
    const p = requirePrincipal(req);
    await service.enableTotp(deps, req, p, parse(TotpEnableBody, req.body ?? {}).code);
    res.status(204).end();
  });

  router.post('/auth/totp/disable', async (req, res) => {
    const p = requirePrincipal(req);
    const body = parse(TotpDisableBody, req.body ?? {});
    await service.disableTotp(deps, req, p, body.password, body.code);
    res.status(204).end();
  });

  return router;
}
