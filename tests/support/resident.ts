import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newToken, PHOTOS_DIR } from './fixtures';

let jpeg: Buffer | undefined;

/** A report sent by a resident's device, as the PWA does (multipart PUT with one photo). */
export async function sendResidentReport(
  base: string,
  centre: { lat: number; lon: number },
  opts: { token?: string; contactEmail?: string; headers?: Record<string, string>; noToken?: boolean } = {},
): Promise<{ status: number; id: string; token: string; body: Record<string, unknown>; headers: Headers }> {
  jpeg ??= fs.readFileSync(path.join(PHOTOS_DIR, 'noexif.jpg'));
  const id = crypto.randomUUID();
  const token = opts.token ?? newToken();
  const form = new FormData();
  const fields: Record<string, string> = {
    category: 'pothole',
    lat: String(centre.lat),
    lon: String(centre.lon),
    accuracy: '5',
    locationSource: 'gps',
    capturedAt: '2026-11-20T09:30:00+01:00',
    description: 'Nid-de-poule',
    ...(opts.contactEmail ? { contactEmail: opts.contactEmail } : {}),
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('photos', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'p.jpg');
  const res = await fetch(`${base}/api/reports/${id}`, {
    method: 'PUT',
    body: form,
    headers: { ...(opts.noToken ? {} : { 'X-Reporter-Token': token }), ...opts.headers },
  });
  return {
    status: res.status,
    id,
    token,
    body: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}
