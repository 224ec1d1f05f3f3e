import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newToken, PHOTOS_DIR } from './fixtures';

/** A small real JPEG (no metadata) for tests that do not care about the photo. */
export const SMALL_JPEG = fs.readFileSync(path.join(PHOTOS_DIR, 'noexif.jpg'));

/** Valid report fields at a point, with overrides. */
export function reportFields(
  at: { lat: number; lon: number },
  over: Record<string, string> = {},
): Record<string, string> {
  return {
    category: 'pothole',
    lat: String(at.lat),
    lon: String(at.lon),
    accuracy: '8',
    locationSource: 'gps',
    capturedAt: '2026-11-20T09:30:00+01:00',
    description: 'Trou profond devant la mairie',
    ...over,
  };
}

/** One file part of the multipart body. */
export interface FilePart {
  data: Buffer;
  name?: string;
  type?: string;
  field?: string;
}

/** What a test sends to `PUT /api/reports/:id`. */
export interface SendReport {
  id?: string;
  /** null: send no token header; undefined: a fresh random token. */
  token?: string | null;
  fields: Record<string, string>;
  files?: FilePart[];
  /** Extra request headers (a staff cookie, a spoofed X-Forwarded-For...). */
  headers?: Record<string, string>;
}

/** Sends a report as the PWA does (multipart PUT) and returns status, JSON body and id. */
export async function sendReport(
  baseUrl: string,
  s: SendReport,
): Promise<{ status: number; body: Record<string, unknown>; id: string; headers: Headers }> {
  const id = s.id ?? crypto.randomUUID();
  const form = new FormData();
  for (const [k, v] of Object.entries(s.fields)) form.append(k, v);
  for (const f of s.files ?? [{ data: SMALL_JPEG }]) {
    form.append(
      f.field ?? 'photos',
      new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/jpeg' }),
      f.name ?? 'photo.jpg',
    );
  }
  const headers: Record<string, string> = { ...s.headers };
  if (s.token !== null) headers['X-Reporter-Token'] = s.token ?? newToken();
  const res = await fetch(`${baseUrl}/api/reports/${id}`, { method: 'PUT', body: form, headers });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    id,
    headers: res.headers,
  };
}
