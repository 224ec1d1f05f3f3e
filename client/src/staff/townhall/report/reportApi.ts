import type { ReportStatus } from '../../../../../server/src/contract/common';
import type { CategoriesAnswer } from '../../../../../server/src/contract/communes';
import type { PublicReport } from '../../../../../server/src/contract/reports';
import type {
  MergeBody,
  NoteBody,
  PhotoModerationBody,
  RedactionBody,
  ReportEditBody,
  ReportModerationBody,
  StaffReport,
  StaffReportPage,
  StatusChangeBody,
  UnmergeBody,
} from '../../../../../server/src/contract/staff';
import { request } from '../../api';

/** Typed calls of the staff report API (`/api/staff/reports/:id/...`); each answers the updated report. */

const base = (id: string) => `/api/staff/reports/${encodeURIComponent(id)}`;
const send = (path: string, method: string, body?: unknown) =>
  request<StaffReport>(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** One report as staff see it. */
export const getStaffReport = (id: string) => request<StaffReport>(base(id));

/** Changes the status (the server checks the life cycle). */
export const changeStatus = (id: string, body: StatusChangeBody) => send(`${base(id)}/status`, 'POST', body);

/** Corrects category, priority and/or location. */
export const editReport = (id: string, body: ReportEditBody) => send(base(id), 'PATCH', body);

/** Marks reports as duplicates of this one. */
export const mergeInto = (id: string, body: MergeBody) => send(`${base(id)}/merge`, 'POST', body);

/** Reopens duplicates of this one. */
export const unmerge = (id: string, body: UnmergeBody) => send(`${base(id)}/unmerge`, 'POST', body);

/** Adds an internal note or a public update for the resident. */
export const addMessage = (id: string, kind: 'note' | 'update', body: NoteBody) =>
  send(`${base(id)}/${kind === 'note' ? 'notes' : 'updates'}`, 'POST', body);

/** Hides or shows the report, sets or clears its public text. */
export const moderateReport = (id: string, body: ReportModerationBody) =>
  send(`${base(id)}/moderation`, 'PATCH', body);

/** Hides, shows, approves a photo. */
export const moderatePhoto = (id: string, n: number, body: PhotoModerationBody) =>
  send(`${base(id)}/photos/${n}`, 'PATCH', body);

/** Redacts rectangles of a photo. */
export const redactPhoto = (id: string, n: number, body: RedactionBody) =>
  send(`${base(id)}/photos/${n}/redaction`, 'POST', body);

/** Deletes the kept original of a redacted photo. */
export const deleteOriginal = (id: string, n: number) => send(`${base(id)}/photos/${n}/original`, 'DELETE');

/** Reports of a commune matching a filter (the staff list), for the duplicate picker. */
export async function findReports(filter: Record<string, string>): Promise<PublicReport[]> {
  const q = new URLSearchParams({ limit: '10', ...filter });
  return (await request<StaffReportPage>(`/api/staff/reports?${q.toString()}`)).items;
}

/** The open statuses a duplicate can be kept under or merged from. */
export const PICKABLE: readonly ReportStatus[] = ['new', 'acknowledged', 'planned', 'in_progress'];

/** The active categories of the commune at a point. */
export const categoriesAt = (lat: number, lon: number) =>
  request<CategoriesAnswer>(`/api/categories?lat=${lat}&lon=${lon}`);

/**
 * A photo's bytes, fetched afresh (no cached copy: after a redaction the same address serves
 * new pixels), as an object URL to revoke when done.
 */
export async function photoObjectUrl(url: string): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return URL.createObjectURL(await res.blob());
}
