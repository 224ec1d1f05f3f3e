import type { CommuneUserView } from '../../../../../server/src/contract/staff';
import type {
  AdminCategoriesAnswer,
  AdminCategoryView,
  CreateCategoryBody,
  CreateCrewBody,
  CrewView,
  DepotView,
  UpdateCategoryBody,
  UpdateCrewBody,
  WorkingHoursBody,
} from '../../../../../server/src/contract/settings';
import { request } from '../../api';

/** The commune-settings calls of the admins' screen (`/api/staff/communes/:commune/...`). */

const base = (slug: string) => `/api/staff/communes/${encodeURIComponent(slug)}`;
const send = (body: unknown) => ({ body: JSON.stringify(body) });

/** Categories, active or not, with work-type suggestions. */
export const getCategories = (slug: string) => request<AdminCategoriesAnswer>(`${base(slug)}/categories`);

/** Adds a category. */
export const createCategory = (slug: string, body: CreateCategoryBody) =>
  request<AdminCategoryView>(`${base(slug)}/categories`, { method: 'POST', ...send(body) });

/** Changes a category (its code only while no report uses it). */
export const updateCategory = (slug: string, code: string, body: UpdateCategoryBody) =>
  request<AdminCategoryView>(`${base(slug)}/categories/${encodeURIComponent(code)}`, {
    method: 'PATCH',
    ...send(body),
  });

/** Deletes a category no report uses. */
export const deleteCategory = (slug: string, code: string) =>
  request<void>(`${base(slug)}/categories/${encodeURIComponent(code)}`, { method: 'DELETE' });

/** The depot with the boundary. */
export const getDepot = (slug: string) => request<DepotView>(`${base(slug)}/depot`);

/** Moves the depot (inside the boundary). */
export const moveDepot = (slug: string, to: { lat: number; lon: number }) =>
  request<DepotView>(`${base(slug)}/depot`, { method: 'PUT', ...send(to) });

/** When the crews' day starts. */
export const getWorkingHours = (slug: string) => request<WorkingHoursBody>(`${base(slug)}/working-hours`);

/** Sets when the crews' day starts. */
export const setWorkingHours = (slug: string, body: WorkingHoursBody) =>
  request<WorkingHoursBody>(`${base(slug)}/working-hours`, { method: 'PUT', ...send(body) });

/** Crews with their members (admins). */
export const getCrews = async (slug: string) =>
  (await request<{ items: CrewView[] }>(`${base(slug)}/crews`)).items;

/** Adds a crew. */
export const createCrew = (slug: string, body: CreateCrewBody) =>
  request<CrewView>(`${base(slug)}/crews`, { method: 'POST', ...send(body) });

/** Changes a crew. */
export const updateCrew = (slug: string, id: number, body: UpdateCrewBody) =>
  request<CrewView>(`${base(slug)}/crews/${id}`, { method: 'PATCH', ...send(body) });

/** Adds (true) or removes (false) a crew member. */
export const setCrewMember = (slug: string, crewId: number, userId: string, member: boolean) =>
  request<CrewView>(`${base(slug)}/crews/${crewId}/members/${encodeURIComponent(userId)}`, {
    method: member ? 'PUT' : 'DELETE',
  });

/** The commune's staff (to pick crew members from). */
export const getCommuneUsers = async (slug: string) =>
  (await request<{ items: CommuneUserView[] }>(`${base(slug)}/users`)).items;
