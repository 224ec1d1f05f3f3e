import type {
  PlanDraft,
  PlanPreviewRequest,
  PlanView,
  StopUpdateRequest,
  TravelInfo,
} from '../../../../server/src/contract/plans';
import type { CrewView } from '../../../../server/src/contract/settings';
import { request } from '../api';

/** A proposed plan, as `POST /api/plans/preview` returns it (not saved yet). */
export type PreviewPlan = Omit<PlanView, 'id' | 'status' | 'publishedAt' | 'closedAt'> & { fits: boolean };

/** Answer of `POST /api/plans/preview`. */
export interface PreviewAnswer {
  date: string;
  /** Which travel times were used (road network, or great-circle and why). */
  travel: TravelInfo;
  plans: PreviewPlan[];
  unplanned: Array<{ reportId: string; reason: string }>;
  stats: { reports: number; planned: number; dangerPlanned: number; dangerTotal: number; elapsedMs: number };
}

/** A live event of the staff stream (`GET /api/events`). */
export interface StaffEvent {
  reportId: string;
  action: string;
  toStatus: string | null;
  planId: string | null;
}

/** Proposes rounds for a day (nothing is saved). */
export function previewPlans(body: Partial<PlanPreviewRequest> & { communeId: number; date: string }) {
  return request<PreviewAnswer>('/api/plans/preview', { method: 'POST', body: JSON.stringify(body) });
}

/** Saves plans as drafts; the server re-times them (422 `plan_exceeds_day` when one is too long). */
export async function savePlans(communeId: number, date: string, plans: PlanDraft[]): Promise<PlanView[]> {
  const answer = await request<{ items: PlanView[] }>('/api/plans', {
    method: 'POST',
    body: JSON.stringify({ communeId, date, plans }),
  });
  return answer.items;
}

/** Publishes a draft: crews can see it from now on. */
export function publishPlan(id: string): Promise<PlanView> {
  return request<PlanView>(`/api/plans/${encodeURIComponent(id)}/publish`, { method: 'POST' });
}

/** Plans of a day (crews only get published ones). */
export async function listPlans(date: string, status?: PlanView['status']): Promise<PlanView[]> {
  const q = new URLSearchParams({ date, ...(status ? { status } : {}) });
  return (await request<{ items: PlanView[] }>(`/api/plans?${q.toString()}`)).items;
}

/** Plans of a day with the caller's crews (a crew member's phone shows those rounds first). */
export async function listPlansForCrew(date: string): Promise<{ items: PlanView[]; myCrewIds: number[] }> {
  const q = new URLSearchParams({ date, status: 'published' });
  return request<{ items: PlanView[]; myCrewIds: number[] }>(`/api/plans?${q.toString()}`);
}

/** The crews of a commune (the planning filter; members are for the settings screen). */
export async function listCrews(communeSlug: string): Promise<CrewView[]> {
  return (
    await request<{ items: CrewView[] }>(`/api/staff/communes/${encodeURIComponent(communeSlug)}/crews`)
  ).items;
}

/** One plan with its stops. */
export function getPlan(id: string): Promise<PlanView> {
  return request<PlanView>(`/api/plans/${encodeURIComponent(id)}`);
}

/**
 * Records what the crew did at a stop (idempotent: the outbox may send it twice). With an
 * after-photo, the update goes as multipart (`status`, `at`, `note`, `photo`).
 */
export function putStop(
  planId: string,
  reportId: string,
  body: StopUpdateRequest,
  photo?: Blob,
): Promise<PlanView> {
  const path = `/api/plans/${encodeURIComponent(planId)}/stops/${encodeURIComponent(reportId)}`;
  if (!photo) return request<PlanView>(path, { method: 'PUT', body: JSON.stringify(body) });
  const form = new FormData();
  form.append('status', body.status);
  form.append('at', body.at);
  if (body.note !== undefined) form.append('note', body.note);
  form.append('photo', photo, 'after.jpg');
  return request<PlanView>(path, { method: 'PUT', body: form });
}

/** `YYYY-MM-DD` of a local day, `offset` days from `now`. */
export function localDate(now: Date, offset = 0): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Rounds start at 8:00; `arrivalMinute` counts from there. Returns `hh:mm`. */
export function clockTime(arrivalMinute: number, startMinute = 8 * 60): string {
  const m = Math.round(startMinute + arrivalMinute);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(m / 60) % 24)}:${pad(m % 60)}`;
}
