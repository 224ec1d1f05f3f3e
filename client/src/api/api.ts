import type { CategoriesAnswer, CommuneView } from '../../../server/src/contract/communes';
import type { NearbyReport, OwnReport, PublicReport } from '../../../server/src/contract/reports';
import { REPORTER_TOKEN_HEADER } from '../offline/transport';

/** Reads of reference data give up quickly: the app falls back to its cache. */
const READ_TIMEOUT_MS = 10_000;

/** A non-2xx answer, with the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for errors that mean "no network" (as opposed to an answer from the server). */
export function isNetworkError(err: unknown): boolean {
  return !(err instanceof ApiError);
}

async function getJson<T>(path: string, token?: string): Promise<T> {
  const res = await fetch(path, {
    headers: token
      ? { [REPORTER_TOKEN_HEADER]: token, Accept: 'application/json' }
      : { Accept: 'application/json' },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    cache: 'no-store',
  });
  if (!res.ok) {
    let code = 'http_error';
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // not a JSON error body
    }
    throw new ApiError(res.status, code, message);
  }
  return (await res.json()) as T;
}

/** Map tiles to use (`GET /api/config`). */
export interface TileConfig {
  /** URL template with {z}, {x}, {y} (and optionally {s}). */
  tileUrl: string;
  /** Attribution to show, when the server gives one. */
  attribution?: string;
}

/** `GET /api/config`. */
export function fetchTileConfig(): Promise<TileConfig> {
  return getJson<TileConfig>('/api/config');
}

/** `GET /api/communes`. */
export function fetchCommunes(): Promise<CommuneView[]> {
  return getJson<CommuneView[]>('/api/communes');
}

/** `GET /api/categories?lat&lon`: the categories of the commune containing the point. */
export function fetchCategories(lat: number, lon: number): Promise<CategoriesAnswer> {
  return getJson<CategoriesAnswer>(`/api/categories?lat=${lat}&lon=${lon}`);
}

/** `GET /api/reports/nearby`: open reports within 50 m. */
export async function fetchNearby(lat: number, lon: number, category?: string): Promise<NearbyReport[]> {
  const q = new URLSearchParams({ lat: String(lat), lon: String(lon) });
  if (category) q.set('category', category);
  return (await getJson<{ items: NearbyReport[] }>(`/api/reports/nearby?${q}`)).items;
}

/** `GET /api/reports/mine`: the reports sent from this device. */
export async function fetchMine(token: string): Promise<PublicReport[]> {
  return (await getJson<{ items: PublicReport[] }>('/api/reports/mine', token)).items;
}

/** `GET /api/reports/:id` with the token: the owner's view (photos, history, contact). */
export function fetchOwnReport(id: string, token: string): Promise<OwnReport> {
  return getJson<OwnReport>(`/api/reports/${encodeURIComponent(id)}`, token);
}

/** An authorised photo (`GET /api/reports/:id/photos/:n`), fetched with the token header. */
export async function fetchPhoto(url: string, token: string): Promise<Blob> {
  const res = await fetch(url, {
    headers: { [REPORTER_TOKEN_HEADER]: token },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new ApiError(res.status, 'photo_not_found', `HTTP ${res.status}`);
  return res.blob();
}

/**
 * `DELETE /api/reports/:id/contact` with the token: erases the contact email of a report sent
 * from this device (and every email about it). Idempotent.
 */
export async function eraseContact(id: string, token: string): Promise<void> {
  const res = await fetch(`/api/reports/${encodeURIComponent(id)}/contact`, {
    method: 'DELETE',
    headers: { [REPORTER_TOKEN_HEADER]: token, Accept: 'application/json' },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `HTTP ${res.status}`,
    );
  }
}
