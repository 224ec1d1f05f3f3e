import type { ReportFields } from './db';
import type { SendOutcome } from './outbox.machine';
import type { QueuedReport } from './outbox.store';

/** Header carrying the device's reporter secret (the contract's REPORTER_TOKEN_HEADER, as sent). */
export const REPORTER_TOKEN_HEADER = 'X-Reporter-Token';

/** An upload of a few hundred KB on one bar of signal can take a while; past this, try again later. */
export const UPLOAD_TIMEOUT_MS = 120_000;

/** What the transport needs, injected. */
export interface TransportDeps {
  /** Reads a queued report; undefined when it has left the outbox. */
  load(id: string): Promise<QueuedReport | undefined>;
  fetch: typeof fetch;
  token(): Promise<string>;
  /**
   * Runs the upload under a cross-context lock (Web Locks) so a page and the service worker
   * never upload the same report at the same time; absent where the browser has none.
   */
  withLock?<T>(fn: () => Promise<T>): Promise<T>;
  /** Base URL of the API (tests); same origin by default. */
  baseUrl?: string;
}

/** The multipart body of `PUT /api/reports/:id`, fields in a fixed order so retries are identical. */
export function reportForm(fields: ReportFields, photos: readonly Blob[]): FormData {
  const form = new FormData();
  form.append('category', fields.category);
  form.append('lat', String(fields.lat));
  form.append('lon', String(fields.lon));
  form.append('accuracy', String(fields.accuracy));
  form.append('locationSource', fields.locationSource);
  form.append('capturedAt', fields.capturedAt);
  if (fields.description) form.append('description', fields.description);
  if (fields.contactEmail) form.append('contactEmail', fields.contactEmail);
  if (fields.contactEmail && fields.locale) form.append('locale', fields.locale);
  photos.forEach((blob, i) => form.append('photos', blob, `photo-${i + 1}.jpg`));
  return form;
}

/** Turns an HTTP answer into an outcome for the machine, reading the error body when there is one. */
export async function outcomeOf(res: Response): Promise<SendOutcome> {
  if (res.status >= 200 && res.status < 300) return { kind: 'sent', status: res.status };
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return {
    kind: 'http',
    status: res.status,
    code,
    message,
    retryAfterSeconds: res.headers.has('retry-after') && Number.isFinite(retryAfter) ? retryAfter : undefined,
  };
}

/** Builds the `send` function of the outbox runner: one idempotent PUT per attempt. */
export function createTransport(deps: TransportDeps): (id: string) => Promise<SendOutcome> {
  const attempt = async (id: string): Promise<SendOutcome> => {
    const queued = await deps.load(id);
    if (!queued) return { kind: 'gone' };
    const token = await deps.token();
    let res: Response;
    try {
      res = await deps.fetch(`${deps.baseUrl ?? ''}/api/reports/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { [REPORTER_TOKEN_HEADER]: token },
        body: reportForm(queued.record.fields, queued.photos),
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        cache: 'no-store',
      });
    } catch (err) {
      return { kind: 'network', message: err instanceof Error ? err.message : String(err) };
    }
    return outcomeOf(res);
  };
  return (id) => (deps.withLock ? deps.withLock(() => attempt(id)) : attempt(id));
}

/** A Web Locks wrapper when the browser (or service worker) has `navigator.locks`. */
export function webLock(name: string): (<T>(fn: () => Promise<T>) => Promise<T>) | undefined {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return undefined;
  return <T>(fn: () => Promise<T>) => locks.request(name, fn) as Promise<T>;
}
