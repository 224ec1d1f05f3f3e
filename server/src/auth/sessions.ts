import crypto from 'node:crypto';
import type { Request } from 'express';

/**
 * Session cookies. Over HTTPS the cookie is `__Host-vigie_sid`: Secure, Path=/, no Domain, so
 * no other site or subdomain can set or read it. Browsers refuse Secure cookies over plain HTTP
 * except on loopback, and refuse the `__Host-` prefix without Secure: on plain-HTTP loopback
 * (`npm start` on a laptop, tests) the cookie is `vigie_sid`, not Secure. Elsewhere over plain
 * HTTP sign-in is refused unless ALLOW_HTTP_SIGNIN=1 (a closed LAN without TLS). Both are
 * HttpOnly and SameSite=Lax; each request reads only the name that fits its scheme.
 */
export const SECURE_COOKIE = '__Host-vigie_sid';
export const PLAIN_COOKIE = 'vigie_sid';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new session id: 256 random bits, base64url. Only its hash is stored. */
export function newSessionId(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** sha256 of a session id, as stored in the sessions table. */
export function hashSessionId(id: string): Buffer {
  return crypto.createHash('sha256').update(id, 'utf8').digest();
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function loopbackAddress(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

/** A plain-HTTP request from this machine to this machine, by name and by socket. */
export function isLoopbackRequest(req: Request): boolean {
  return LOOPBACK_NAMES.has(req.hostname) && loopbackAddress(req.socket.remoteAddress);
}

/** How the session cookie is named and flagged on this request; undefined when sign-in is refused. */
export function cookieMode(
  req: Request,
  allowHttpSignin: boolean,
): { name: string; secure: boolean } | undefined {
  if (req.secure) return { name: SECURE_COOKIE, secure: true };
  if (isLoopbackRequest(req) || allowHttpSignin) return { name: PLAIN_COOKIE, secure: false };
  return undefined;
}

/** A Set-Cookie value. No Max-Age: the cookie ends with the browser session. */
export function serializeCookie(
  name: string,
  value: string,
  opts: { secure: boolean; maxAgeSeconds?: number },
): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  return parts.join('; ');
}

/** The session id sent with this request under the cookie name that fits its scheme. */
export function readSessionId(req: Request, allowHttpSignin: boolean): string | undefined {
  const mode = cookieMode(req, allowHttpSignin);
  const header = req.headers.cookie;
  if (!mode || !header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== mode.name) continue;
    const value = part.slice(eq + 1).trim();
    if (SESSION_ID.test(value)) return value;
  }
  return undefined;
}

/** True when the request carries any Vigie session cookie (valid or not). */
export function hasSessionCookie(req: Request): boolean {
  const header = req.headers.cookie;
  if (!header) return false;
  return header
    .split(';')
    .some((p) => [SECURE_COOKIE, PLAIN_COOKIE].includes(p.slice(0, Math.max(0, p.indexOf('='))).trim()));
}
