/**
 * The authorisation matrix: for every route of the app, the status each kind of caller gets,
 * on an object of their own commune ("own") and of another commune ("other"). matrix.test.ts
 * generates one test per cell and fails when a route of the app has no row here (or a row no
 * route). Change a rule in server/src/auth/policy.ts and this table says what changed.
 *
 * Callers: anonymous (nothing), reporter (a resident's device: X-Reporter-Token, no account),
 * crew / supervisor / admin (a role in commune "own" only), superadmin (deployment-wide, no
 * commune role). "own" for a reporter means their own report, "other" someone else's in another
 * commune. `none`: the route is not about a commune's object.
 */

export const ACTORS = ['anonymous', 'reporter', 'crew', 'supervisor', 'admin', 'superadmin'] as const;
export type Actor = (typeof ACTORS)[number];
export type Target = 'own' | 'other' | 'none';

/** One row: a route, a target, and the expected status for each caller. */
export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as registered in Express (see server/src/http/routes.ts). */
  route: string;
  target: Target;
  expect: Record<Actor, number>;
}

/** Expected statuses in ACTORS order: anonymous, reporter, crew, supervisor, admin, superadmin. */
function s(
  anonymous: number,
  reporter: number,
  crew: number,
  supervisor: number,
  admin: number,
  superadmin: number,
) {
  return { anonymous, reporter, crew, supervisor, admin, superadmin };
}
const all = (status: number) => s(status, status, status, status, status, status);

const row = (
  method: MatrixRow['method'],
  route: string,
  target: Target,
  expect: Record<Actor, number>,
): MatrixRow => ({
  method,
  route,
  target,
  expect,
});

const C = '/api/staff/communes/:commune';

export const MATRIX: readonly MatrixRow[] = [
  // Public and resident routes: no account needed.
  row('GET', '/api/health', 'none', all(200)),
  row('GET', '/api/openapi.json', 'none', all(200)),
  row('GET', '/api/config', 'none', all(200)),
  row('GET', '/api/communes', 'none', all(200)),
  row('GET', '/api/addresses', 'own', all(200)),
  row('GET', '/api/categories', 'own', all(200)),
  row('GET', '/api/reports', 'none', all(200)),
  row('GET', '/api/reports/nearby', 'own', all(200)),
  row('GET', '/api/reports/mine', 'none', s(400, 200, 400, 400, 400, 400)),
  row('PUT', '/api/reports/:id', 'own', s(400, 201, 400, 400, 400, 400)),
  row('GET', '/api/reports/:id', 'own', all(200)),
  row('GET', '/api/reports/:id', 'other', all(200)),
  // Photos show people and places: the reporter and staff of the report's commune only, and
  // anybody once approved by a moderator where the commune shows photos publicly (not the case
  // of these fixtures: see tests/integration/reports/moderation.test.ts for the public rule and
  // for `?original=1`, admins only).
  row('GET', '/api/reports/:id/photos/:n', 'own', s(404, 200, 200, 200, 200, 200)),
  row('GET', '/api/reports/:id/photos/:n', 'other', s(404, 404, 404, 404, 404, 200)),
  // Erasing the contact data is the resident's right, from the device that sent the report: its
  // token only (400 without one, staff included; another device's report is a missing one).
  row('DELETE', '/api/reports/:id/contact', 'own', s(400, 200, 400, 400, 400, 400)),
  row('DELETE', '/api/reports/:id/contact', 'other', s(400, 404, 400, 400, 400, 400)),
  // Pages opened from an email or printed: the random token is the authority, no session needed.
  row('GET', '/unsubscribe/:token', 'own', all(200)),
  row('POST', '/unsubscribe/:token', 'own', all(200)),
  row('GET', '/privacy/:commune', 'own', all(200)),

  // Accounts.
  row('POST', '/api/auth/login', 'none', s(401, 401, 200, 200, 200, 200)),
  row('POST', '/api/auth/logout', 'none', all(204)),
  row('GET', '/api/auth/me', 'none', s(401, 401, 200, 200, 200, 200)),
  row('POST', '/api/auth/password', 'none', s(401, 401, 204, 204, 204, 204)),
  row('POST', '/api/auth/totp/setup', 'none', s(401, 401, 200, 200, 200, 200)),
  row('POST', '/api/auth/totp/enable', 'none', s(401, 401, 204, 204, 204, 204)),
  row('POST', '/api/auth/totp/disable', 'none', s(401, 401, 204, 204, 204, 204)),

  // Staff reports: scoped by commune; another commune's answers 404.
  row('GET', '/api/staff/reports', 'none', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports', 'own', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports', 'other', s(401, 401, 404, 404, 404, 200)),
  // The history screen's map clusters and list size: like the list.
  row('GET', '/api/staff/reports/clusters', 'none', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports/clusters', 'own', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports/clusters', 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', '/api/staff/reports/count', 'none', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports/count', 'own', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports/count', 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', '/api/staff/reports/:id', 'own', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/staff/reports/:id', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/staff/reports/:id/status', 'own', s(401, 401, 200, 200, 403, 200)),
  row('POST', '/api/staff/reports/:id/status', 'other', s(401, 401, 404, 404, 404, 200)),
  // Triage (category, priority, location, public updates) and moderation (merges, hiding,
  // public text, photos) are the supervisors'; crews and admins write internal notes.
  row('PATCH', '/api/staff/reports/:id', 'own', s(401, 401, 403, 200, 403, 200)),
  row('PATCH', '/api/staff/reports/:id', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/staff/reports/:id/merge', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/staff/reports/:id/merge', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/staff/reports/:id/unmerge', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/staff/reports/:id/unmerge', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/staff/reports/:id/notes', 'own', s(401, 401, 201, 201, 201, 201)),
  row('POST', '/api/staff/reports/:id/notes', 'other', s(401, 401, 404, 404, 404, 201)),
  row('POST', '/api/staff/reports/:id/updates', 'own', s(401, 401, 403, 201, 403, 201)),
  row('POST', '/api/staff/reports/:id/updates', 'other', s(401, 401, 404, 404, 404, 201)),
  row('PATCH', '/api/staff/reports/:id/moderation', 'own', s(401, 401, 403, 200, 403, 200)),
  row('PATCH', '/api/staff/reports/:id/moderation', 'other', s(401, 401, 404, 404, 404, 200)),
  row('PATCH', '/api/staff/reports/:id/photos/:n', 'own', s(401, 401, 403, 200, 403, 200)),
  row('PATCH', '/api/staff/reports/:id/photos/:n', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/staff/reports/:id/photos/:n/redaction', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/staff/reports/:id/photos/:n/redaction', 'other', s(401, 401, 404, 404, 404, 200)),
  row('DELETE', '/api/staff/reports/:id/photos/:n/original', 'own', s(401, 401, 403, 200, 403, 200)),
  row('DELETE', '/api/staff/reports/:id/photos/:n/original', 'other', s(401, 401, 404, 404, 404, 200)),

  // Exports of the filtered list (reports:export): supervisors and admins (contact data for
  // admins only, see tests/integration/exports). Without a commune: every commune where the
  // caller may export; 403 for a caller who may export nowhere.
  row('GET', '/api/reports/export.csv', 'none', s(401, 401, 403, 200, 200, 200)),
  row('GET', '/api/reports/export.csv', 'own', s(401, 401, 403, 200, 200, 200)),
  row('GET', '/api/reports/export.csv', 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', '/api/reports/export.geojson', 'none', s(401, 401, 403, 200, 200, 200)),
  row('GET', '/api/reports/export.geojson', 'own', s(401, 401, 403, 200, 200, 200)),
  row('GET', '/api/reports/export.geojson', 'other', s(401, 401, 404, 404, 404, 200)),

  // Statistics (stats:read): supervisors and admins, on the same filter.
  ...['summary', 'timeline', 'resolution', 'backlog', 'hotspots'].flatMap((figure) => [
    row('GET', `/api/stats/${figure}`, 'none', s(401, 401, 403, 200, 200, 200)),
    row('GET', `/api/stats/${figure}`, 'own', s(401, 401, 403, 200, 200, 200)),
    row('GET', `/api/stats/${figure}`, 'other', s(401, 401, 404, 404, 404, 200)),
  ]),

  // Users, settings and audit log of a commune: its admins (and superadmins).
  row('GET', `${C}/users`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/users`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', `${C}/users`, 'own', s(401, 401, 403, 403, 201, 201)),
  row('POST', `${C}/users`, 'other', s(401, 401, 404, 404, 404, 201)),
  row('PUT', `${C}/users/:userId/roles/:role`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PUT', `${C}/users/:userId/roles/:role`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('DELETE', `${C}/users/:userId/roles/:role`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('DELETE', `${C}/users/:userId/roles/:role`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', `${C}/users/:userId/disable`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('POST', `${C}/users/:userId/disable`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', `${C}/users/:userId/enable`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('POST', `${C}/users/:userId/enable`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', `${C}/settings`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/settings`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('PATCH', `${C}/settings`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PATCH', `${C}/settings`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', `${C}/audit`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/audit`, 'other', s(401, 401, 404, 404, 404, 200)),

  // Commune settings: categories (categories:manage), depot, working hours and crews
  // (settings:manage) for admins; the crew list (crews:read) for everyone of the commune.
  row('GET', `${C}/categories`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/categories`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', `${C}/categories`, 'own', s(401, 401, 403, 403, 201, 201)),
  row('POST', `${C}/categories`, 'other', s(401, 401, 404, 404, 404, 201)),
  row('PATCH', `${C}/categories/:code`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PATCH', `${C}/categories/:code`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('DELETE', `${C}/categories/:code`, 'own', s(401, 401, 403, 403, 204, 204)),
  row('DELETE', `${C}/categories/:code`, 'other', s(401, 401, 404, 404, 404, 204)),
  row('GET', `${C}/depot`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/depot`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('PUT', `${C}/depot`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PUT', `${C}/depot`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', `${C}/working-hours`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('GET', `${C}/working-hours`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('PUT', `${C}/working-hours`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PUT', `${C}/working-hours`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', `${C}/crews`, 'own', s(401, 401, 200, 200, 200, 200)),
  row('GET', `${C}/crews`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', `${C}/crews`, 'own', s(401, 401, 403, 403, 201, 201)),
  row('POST', `${C}/crews`, 'other', s(401, 401, 404, 404, 404, 201)),
  row('PATCH', `${C}/crews/:crewId`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PATCH', `${C}/crews/:crewId`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('PUT', `${C}/crews/:crewId/members/:userId`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('PUT', `${C}/crews/:crewId/members/:userId`, 'other', s(401, 401, 404, 404, 404, 200)),
  row('DELETE', `${C}/crews/:crewId/members/:userId`, 'own', s(401, 401, 403, 403, 200, 200)),
  row('DELETE', `${C}/crews/:crewId/members/:userId`, 'other', s(401, 401, 404, 404, 404, 200)),

  // Plans: supervisors plan (plans:write); crews read published plans and update stops
  // (reports:status); admins manage the commune, not its rounds.
  row('POST', '/api/plans/preview', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/plans/preview', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/plans', 'own', s(401, 401, 403, 201, 403, 201)),
  row('POST', '/api/plans', 'other', s(401, 401, 404, 404, 404, 201)),
  row('GET', '/api/plans', 'none', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/plans/:id', 'own', s(401, 401, 200, 200, 403, 200)),
  row('GET', '/api/plans/:id', 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', '/api/plans/:id.gpx', 'own', s(401, 401, 200, 200, 403, 200)),
  row('GET', '/api/plans/:id.gpx', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/plans/:id/publish', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/plans/:id/publish', 'other', s(401, 401, 404, 404, 404, 200)),
  row('POST', '/api/plans/:id/close', 'own', s(401, 401, 403, 200, 403, 200)),
  row('POST', '/api/plans/:id/close', 'other', s(401, 401, 404, 404, 404, 200)),
  row('PUT', '/api/plans/:id/stops/:reportId', 'own', s(401, 401, 200, 200, 403, 200)),
  row('PUT', '/api/plans/:id/stops/:reportId', 'other', s(401, 401, 404, 404, 404, 200)),
  row('GET', '/api/plans/:id/stops/:reportId/photo', 'own', s(401, 401, 200, 200, 403, 200)),
  row('GET', '/api/plans/:id/stops/:reportId/photo', 'other', s(401, 401, 404, 404, 404, 200)),

  // Live streams: staff get their communes' changes; a resident the changes of their own reports.
  row('GET', '/api/events', 'none', s(401, 401, 200, 200, 200, 200)),
  row('GET', '/api/reports/mine/events', 'none', s(400, 200, 400, 400, 400, 400)),

  // Open311 GeoReport v2: public reads of each commune ("other": another commune's request asked
  // under this commune's jurisdiction, 404 for everyone); posting needs the commune's api_key,
  // whoever calls ("other": another commune's key), never a session or a reporter token.
  row('GET', '/open311/v2/discovery.:format', 'none', all(200)),
  row('GET', '/open311/v2/services.:format', 'own', all(200)),
  row('GET', '/open311/v2/services/:service_code.:format', 'own', all(200)),
  row('GET', '/open311/v2/requests.:format', 'own', all(200)),
  row('GET', '/open311/v2/requests.:format', 'other', all(200)),
  row('POST', '/open311/v2/requests.:format', 'own', all(200)),
  row('POST', '/open311/v2/requests.:format', 'other', all(403)),
  row('GET', '/open311/v2/requests/:service_request_id.:format', 'own', all(200)),
  row('GET', '/open311/v2/requests/:service_request_id.:format', 'other', all(404)),

  // The client's app shells (the data behind them is authorised by the API).
  row('GET', '/staff{/*rest}', 'none', all(200)),
  row('GET', '/{*rest}', 'none', all(200)),
];
