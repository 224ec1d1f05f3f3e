import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { CommuneRole } from '../../server/src/contract/auth';
import type { StaffReportPage } from '../../server/src/contract/staff';
import { CLI_ACTOR, createUser, grantRole } from '../../server/src/users/users.service';
import { setSuperadmin } from '../../server/src/users/users.repo';

/** A password that passes the policy (random, so never common). */
export function newPassword(): string {
  return `pw-${crypto.randomBytes(12).toString('base64url')}`;
}

/** A unique email address for a test account. */
export function newEmail(prefix = 'staff'): string {
  return `${prefix}-${crypto.randomBytes(5).toString('hex')}@test.example`;
}

/** A staff account created directly through the users service (as the CLI would). */
export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** Creates an account with roles in communes (or a superadmin with none). */
export async function createStaff(
  pool: Pool,
  roles: ReadonlyArray<{ communeId: number; role: CommuneRole }>,
  opts: { superadmin?: boolean; email?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? newEmail(roles[0]?.role ?? 'superadmin');
  const password = newPassword();
  const { id } = await createUser(pool, CLI_ACTOR, {
    email,
    password,
    commune: roles[0] ? { id: roles[0].communeId, role: roles[0].role } : undefined,
  });
  for (const r of roles.slice(1)) await grantRole(pool, CLI_ACTOR, id, r.communeId, r.role);
  if (opts.superadmin) await setSuperadmin(pool, id, true);
  return { id, email, password };
}

/** A fetch answer with its body read once. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: Record<string, unknown> | undefined;
}

/** Options of `call`. */
export interface CallOptions {
  method?: string;
  /** A `name=value` cookie to send. */
  cookie?: string | undefined;
  /** A JSON body. */
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** One HTTP call to the test server, as a same-origin page would make it (Sec-Fetch-Site). */
export async function call(base: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin', ...opts.headers };
  if (opts.cookie) headers.Cookie = opts.cookie;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  const res = await fetch(`${base}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The `name=value` part of a Set-Cookie answer. */
export function cookieOf(answer: Answer): string {
  const set = answer.headers.get('set-cookie');
  if (!set) throw new Error(`no Set-Cookie (status ${answer.status}: ${answer.text})`);
  return set.split(';')[0]!;
}

/** Signs in and returns the session cookie to send back. */
export async function signIn(
  base: string,
  user: { email: string; password: string },
  extra: { remember?: boolean; totp?: string } = {},
): Promise<string> {
  const res = await call(base, '/api/auth/login', {
    method: 'POST',
    json: { email: user.email, password: user.password, ...extra },
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  return cookieOf(res);
}

/** Audit rows matching a filter, oldest first. */
export async function auditRows(
  pool: Pool,
  where: { action?: string; objectId?: string; actorUserId?: string; requestId?: string },
): Promise<Array<Record<string, unknown>>> {
  const { rows } = await pool.query(
    `SELECT * FROM audit_log
      WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR object_id = $2)
        AND ($3::uuid IS NULL OR actor_user_id = $3) AND ($4::text IS NULL OR request_id = $4)
      ORDER BY id`,
    [where.action ?? null, where.objectId ?? null, where.actorUserId ?? null, where.requestId ?? null],
  );
  return rows as Array<Record<string, unknown>>;
}

/**
 * A GET with the path sent exactly as written. fetch() normalises `/%2e%2e/` and `/../` away
 * (WHATWG URL rules) before sending; an attacker's client does not.
 */
export async function rawGet(
  base: string,
  rawPath: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { default: http } = await import('node:http');
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The ids the staff list answers for a history screen's query (its map view is ignored), up to 200. */
export async function staffListIds(base: string, cookie: string, query: URLSearchParams): Promise<string[]> {
  const q = new URLSearchParams(query);
  q.delete('view');
  q.set('limit', '200');
  const res = await call(base, `/api/staff/reports?${q.toString()}`, { cookie });
  if (res.status !== 200) throw new Error(`GET /api/staff/reports: ${res.status} ${res.text}`);
  return (res.json as unknown as StaffReportPage).items.map((r) => r.id);
}
