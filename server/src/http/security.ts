import type { RequestHandler } from 'express';
import { NotFoundError } from '../errors';

/** Server internals that must never be answered for, whatever the client build contains. */
const INTERNAL = /^\/(node_modules|uploads|data|server|db|tests|infra)(\/|$)/i;
/** A dot segment anywhere (`/.git`, `/.env`, `/assets/.DS_Store`), `..` included. */
const DOT_SEGMENT = /(^|\/)\./;

/** Decodes percent-escapes until stable (double encoding: %252e), or undefined when malformed. */
function fullyDecoded(path: string): string | undefined {
  let current = path;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * Answers 404 for traversal and internal paths before anything else sees them: `..` segments
 * (also encoded, `/%2e%2e/`, `..%2f`), backslashes, NUL, dotfiles and dot-directories, and the
 * server's own folders. The client and the API never use such paths.
 */
export const pathGuard: RequestHandler = (req, _res, next) => {
  const decoded = fullyDecoded(req.path);
  if (
    decoded === undefined ||
    DOT_SEGMENT.test(decoded) ||
    decoded.includes('\\') ||
    decoded.includes('\0') ||
    INTERNAL.test(decoded)
  ) {
    next(NotFoundError());
    return;
  }
  next();
};

/**
 * HSTS only on responses served over HTTPS (directly or through a trusted proxy that says so):
 * over plain HTTP it would be ignored at best, and would lock a loopback or LAN install out of
 * plain HTTP at worst.
 */
export const hsts: RequestHandler = (req, res, next) => {
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
};
