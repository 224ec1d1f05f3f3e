import { newToken } from './fixtures';
import { reportFields, sendReport } from './reports';

/** A report sent by a resident's device, as the PWA does (multipart PUT with one photo). */
export async function sendResidentReport(
  base: string,
  centre: { lat: number; lon: number },
  opts: { token?: string; contactEmail?: string; headers?: Record<string, string>; noToken?: boolean } = {},
): Promise<{ status: number; id: string; token: string; body: Record<string, unknown>; headers: Headers }> {
  const token = opts.token ?? newToken();
  const r = await sendReport(base, {
    token: opts.noToken ? null : token,
    fields: reportFields(centre, {
      accuracy: '5',
      description: 'Nid-de-poule',
      ...(opts.contactEmail ? { contactEmail: opts.contactEmail } : {}),
    }),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  return { ...r, token };
}
