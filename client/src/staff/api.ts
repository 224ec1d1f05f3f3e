import type { LoginBody, MeAnswer } from '../../../server/src/contract/auth';

/** An error answer of the API, or a network failure (code `network`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds, from Retry-After (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** One JSON call to the API (same-origin, session cookie); throws ApiError. */
export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: {
        Accept: 'application/json',
        // JSON bodies are strings; FormData sets its own multipart boundary.
        ...(typeof init.body === 'string' ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => undefined)) as
    { error?: { code: string; message: string; field?: string } } | undefined;
  if (!res.ok) {
    const e = body?.error;
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(
      res.status,
      e?.code ?? (res.status >= 500 ? 'server' : 'unknown'),
      e?.message ?? res.statusText,
      e?.field,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return body as T;
}

/** The signed-in staff member, or undefined when signed out. */
export async function fetchMe(): Promise<MeAnswer | undefined> {
  try {
    return await request<MeAnswer>('/api/auth/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return undefined;
    throw err;
  }
}

/** Signs in; the session cookie is set by the server (HttpOnly: never seen by this code). */
export function login(body: LoginBody): Promise<MeAnswer> {
  return request<MeAnswer>('/api/auth/login', { method: 'POST', body: JSON.stringify(body) });
}

/** Signs out (the session is destroyed on the server). */
export function logout(): Promise<void> {
  return request<void>('/api/auth/logout', { method: 'POST' });
}
