import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import {
  cookieMode,
  hashSessionId,
  newSessionId,
  readSessionId,
  serializeCookie,
} from '../../../server/src/auth/sessions';
import { csrfGuard } from '../../../server/src/http/csrf';

function req(over: {
  secure?: boolean;
  hostname?: string;
  remote?: string;
  cookie?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}): Request {
  const headers: Record<string, string> = {
    ...(over.cookie ? { cookie: over.cookie } : {}),
    ...over.headers,
  };
  return {
    secure: over.secure ?? false,
    hostname: over.hostname ?? 'localhost',
    host: over.hostname ?? 'localhost',
    protocol: over.secure ? 'https' : 'http',
    socket: { remoteAddress: over.remote ?? '127.0.0.1' },
    headers,
    method: over.method ?? 'POST',
    path: over.path ?? '/staff/x',
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

describe('session cookies', () => {
  it('are __Host- prefixed and Secure over HTTPS', () => {
    expect(
      cookieMode(req({ secure: true, hostname: 'vigie.example.org', remote: '203.0.113.1' }), false),
    ).toEqual({
      name: '__Host-vigie_sid',
      secure: true,
    });
  });

  it('drop the prefix and Secure only on plain-HTTP loopback (browsers refuse them there)', () => {
    expect(cookieMode(req({ hostname: 'localhost' }), false)).toEqual({ name: 'vigie_sid', secure: false });
    expect(cookieMode(req({ hostname: '127.0.0.1', remote: '::ffff:127.0.0.1' }), false)?.name).toBe(
      'vigie_sid',
    );
    // A LAN address or a spoofed Host from elsewhere: no sign-in over plain HTTP...
    expect(cookieMode(req({ hostname: '192.168.1.20', remote: '192.168.1.30' }), false)).toBeUndefined();
    expect(cookieMode(req({ hostname: 'localhost', remote: '192.168.1.30' }), false)).toBeUndefined();
    // ...unless the operator allows it for a closed LAN.
    expect(cookieMode(req({ hostname: '192.168.1.20', remote: '192.168.1.30' }), true)).toEqual({
      name: 'vigie_sid',
      secure: false,
    });
  });

  it('serialise with HttpOnly, SameSite=Lax, Path=/, and Max-Age only when asked', () => {
    expect(serializeCookie('__Host-vigie_sid', 'abc', { secure: true })).toBe(
      '__Host-vigie_sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('vigie_sid', 'abc', { secure: false, maxAgeSeconds: 60 })).toBe(
      'vigie_sid=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
  });

  it('are read only under the name that fits the scheme, and only in the expected format', () => {
    const id = newSessionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readSessionId(req({ cookie: `a=b; vigie_sid=${id}` }), false)).toBe(id);
    expect(readSessionId(req({ cookie: `__Host-vigie_sid=${id}` }), false)).toBeUndefined();
    expect(readSessionId(req({ secure: true, cookie: `vigie_sid=${id}` }), false)).toBeUndefined();
    expect(readSessionId(req({ secure: true, cookie: `__Host-vigie_sid=${id}` }), false)).toBe(id);
    expect(readSessionId(req({ cookie: "vigie_sid=' OR 1=1 --" }), false)).toBeUndefined();
    expect(hashSessionId(id)).toHaveLength(32);
    expect(hashSessionId(id).equals(hashSessionId(newSessionId()))).toBe(false);
  });
});

describe('CSRF guard', () => {
  const run = (r: Request) => {
    let error: unknown = 'not called';
    try {
      csrfGuard(r, {} as never, (err?: unknown) => (error = err));
    } catch (err) {
      error = err;
    }
    return error === undefined ? 'pass' : (error as { code?: string }).code;
  };
  const cookie = `vigie_sid=${'a'.repeat(43)}`;

  it('lets safe methods and cookie-less requests through', () => {
    expect(run(req({ method: 'GET', cookie, headers: { 'sec-fetch-site': 'cross-site' } }))).toBe('pass');
    expect(run(req({ method: 'PUT', path: '/reports/x', headers: { 'sec-fetch-site': 'cross-site' } }))).toBe(
      'pass',
    );
  });

  it('refuses cross-site and same-site requests that carry a session, and any cross-site sign-in', () => {
    expect(run(req({ cookie, headers: { 'sec-fetch-site': 'cross-site' } }))).toBe('csrf_rejected');
    expect(run(req({ cookie, headers: { 'sec-fetch-site': 'same-site' } }))).toBe('csrf_rejected');
    expect(run(req({ path: '/auth/login', headers: { 'sec-fetch-site': 'cross-site' } }))).toBe(
      'csrf_rejected',
    );
    expect(run(req({ cookie, headers: { 'sec-fetch-site': 'same-origin' } }))).toBe('pass');
  });

  it('compares Origin with the request\u2019s own origin when Sec-Fetch-Site is missing', () => {
    expect(run(req({ cookie, headers: { origin: 'http://localhost' } }))).toBe('pass');
    expect(run(req({ cookie, headers: { origin: 'http://evil.example' } }))).toBe('csrf_rejected');
    expect(run(req({ cookie, headers: { origin: 'null' } }))).toBe('csrf_rejected');
    expect(run(req({ cookie }))).toBe('pass');
  });
});
