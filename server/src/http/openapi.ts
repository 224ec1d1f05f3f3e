import { z } from 'zod';
import {
  ChangePasswordBody,
  LoginBody,
  MeAnswer,
  TotpDisableBody,
  TotpEnableBody,
  TotpSetupAnswer,
} from '../contract/auth';
import { AddressesAnswer, AddressesQuery } from '../contract/addresses';
import { ErrorBody } from '../contract/common';
import { ContactErased, PrivacyNoticeQuery } from '../contract/privacy';
import {
  Open311Discovery,
  Open311PostAnswer,
  Open311PostFields,
  Open311Request,
  Open311RequestsQuery,
  Open311Service,
  Open311ServiceDefinition,
} from '../contract/open311';
import { ClustersAnswer, ClustersQuery, CountAnswer, CountQuery } from '../contract/history';
import { CategoriesAnswer, CategoriesQuery, CommuneView } from '../contract/communes';
import {
  CreateReportFields,
  ListReportsQuery,
  NearbyQuery,
  NearbyReport,
  OwnReport,
  PublicReport,
  ReportPage,
} from '../contract/reports';
import {
  AuditEntryView,
  AuditQuery,
  CommuneSettings,
  CommuneSettingsBody,
  CommuneUserView,
  CreateUserBody,
  MergeBody,
  NoteBody,
  PhotoModerationBody,
  RedactionBody,
  ReportEditBody,
  ReportModerationBody,
  StaffReport,
  StaffReportPage,
  StaffReportsQuery,
  StatusChangeBody,
  UnmergeBody,
} from '../contract/staff';
import {
  BacklogAnswer,
  HotspotsAnswer,
  HotspotsQuery,
  ResolutionAnswer,
  StatsQuery,
  SummaryAnswer,
  TimelineAnswer,
  TimelineQuery,
} from '../contract/stats';
import { ExportQuery } from '../contract/exports';
import {
  AdminCategoriesAnswer,
  AdminCategoryView,
  CreateCategoryBody,
  CreateCrewBody,
  CrewView,
  DepotBody,
  DepotView,
  UpdateCategoryBody,
  UpdateCrewBody,
  WorkingHoursBody,
} from '../contract/settings';

type JsonSchema = Record<string, unknown>;

const out = (s: z.ZodType): JsonSchema =>
  z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
const input = (s: z.ZodType): JsonSchema =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Query parameters of an object schema, for OpenAPI. */
function queryParams(s: z.ZodObject): object[] {
  const schema = input(s) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: p,
  }));
}

const json = (schema: JsonSchema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  '400': json({ $ref: '#/components/schemas/Error' }, 'Invalid request'),
  '404': json({ $ref: '#/components/schemas/Error' }, 'Not found'),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const tokenHeader = (required: boolean) => ({
  name: 'X-Reporter-Token',
  in: 'header',
  required,
  description: 'The random secret (>= 32 characters) the reporting device keeps.',
  schema: { type: 'string', minLength: 32 },
});

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: input(schema) } },
});
const err = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const staff = {
  '401': err('Not signed in'),
  '404': err('Missing, or of a commune that is not yours (indistinguishable)'),
};
const cookie = [{ session: [] }];
const communeParam = { name: 'commune', in: 'path', required: true, schema: { type: 'string' } };
const userParams = [
  communeParam,
  { name: 'userId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
];

/** Sign-in and the staff API (session cookie; state changes need a same-origin request). */
function staffPaths(): Record<string, object> {
  const c = '/api/staff/communes/{commune}';
  return {
    '/api/auth/login': {
      post: {
        summary:
          'Staff sign-in (sets the session cookie; 401 invalid_credentials for any wrong email/password)',
        requestBody: body(LoginBody),
        responses: {
          '200': json(out(MeAnswer), 'Signed in'),
          '401': err('invalid_credentials, totp_required or invalid_totp'),
          '429': err('Too many attempts (Retry-After)'),
          ...errors,
        },
      },
    },
    '/api/auth/logout': {
      post: { summary: 'Ends the session server-side', responses: { '204': { description: 'Signed out' } } },
    },
    '/api/auth/me': {
      get: {
        summary: 'The signed-in user',
        security: cookie,
        responses: { '200': json(out(MeAnswer), 'Me'), '401': staff['401'] },
      },
    },
    '/api/auth/password': {
      post: {
        summary: 'Change own password (ends other sessions)',
        security: cookie,
        requestBody: body(ChangePasswordBody),
        responses: { '204': { description: 'Changed' }, ...errors, '401': staff['401'] },
      },
    },
    '/api/auth/totp/setup': {
      post: {
        summary: 'Start TOTP enrolment',
        security: cookie,
        responses: { '200': json(out(TotpSetupAnswer), 'Secret'), '401': staff['401'] },
      },
    },
    '/api/auth/totp/enable': {
      post: {
        summary: 'Confirm TOTP enrolment with a code',
        security: cookie,
        requestBody: body(TotpEnableBody),
        responses: { '204': { description: 'Enabled' }, '401': staff['401'] },
      },
    },
    '/api/auth/totp/disable': {
      post: {
        summary: 'Remove the second factor',
        security: cookie,
        requestBody: body(TotpDisableBody),
        responses: { '204': { description: 'Disabled' }, '401': staff['401'] },
      },
    },
    '/api/staff/reports': {
      get: {
        summary: "Reports of the user's communes",
        security: cookie,
        parameters: queryParams(StaffReportsQuery),
        responses: { '200': json(out(StaffReportPage), 'A page'), ...staff },
      },
    },
    '/api/staff/reports/clusters': {
      get: {
        summary:
          'Map clusters of the filtered reports in a viewport: grid cells sized for the zoom (at most a few hundred), with counts, mean positions and the report of single-report cells',
        security: cookie,
        parameters: queryParams(ClustersQuery),
        responses: { '200': json(out(ClustersAnswer), 'Cells'), ...errors, ...staff },
      },
    },
    '/api/staff/reports/count': {
      get: {
        summary: 'How many reports match the filter (exact up to 10,000, then capped)',
        security: cookie,
        parameters: queryParams(CountQuery),
        responses: { '200': json(out(CountAnswer), 'Count'), ...errors, ...staff },
      },
    },
    '/api/staff/reports/{id}': {
      get: {
        summary: 'A report for staff (contactEmail for supervisors and admins only)',
        security: cookie,
        parameters: [idParam],
        responses: { '200': json(out(StaffReport), 'The report'), ...staff },
      },
      patch: {
        summary: 'Change category, priority and/or location, kept in the history (supervisors)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(ReportEditBody),
        responses: {
          '200': json(out(StaffReport), 'Changed'),
          '403': err('Not allowed for your role'),
          '409': err('The report is closed: reopen it first'),
          '422': err('Unknown category, or a place outside the commune'),
          ...staff,
        },
      },
    },
    '/api/staff/reports/{id}/status': {
      post: {
        summary: 'Change a report status (crews: field statuses; supervisors: any)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(StatusChangeBody),
        responses: {
          '200': json(out(StaffReport), 'Changed'),
          '403': err('Not allowed for your role'),
          ...staff,
        },
      },
    },
    ...moderationPaths(),
    [`${c}/users`]: {
      get: {
        summary: 'Users of the commune (admins)',
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(z.object({ items: z.array(CommuneUserView) })), 'Users'), ...staff },
      },
      post: {
        summary: 'Create a user with a role, or add the role to an existing account',
        security: cookie,
        parameters: [communeParam],
        requestBody: body(CreateUserBody),
        responses: {
          '201': json(out(CommuneUserView), 'Created'),
          '200': json(out(CommuneUserView), 'Role added to an existing account'),
          ...staff,
        },
      },
    },
    [`${c}/users/{userId}/roles/{role}`]: {
      put: {
        summary: 'Grant a role',
        security: cookie,
        parameters: [
          ...userParams,
          { name: 'role', in: 'path', required: true, schema: { enum: ['crew', 'supervisor', 'admin'] } },
        ],
        responses: { '200': json(out(CommuneUserView), 'Granted'), ...staff },
      },
      delete: {
        summary: 'Revoke a role (never the last admin)',
        security: cookie,
        parameters: [
          ...userParams,
          { name: 'role', in: 'path', required: true, schema: { enum: ['crew', 'supervisor', 'admin'] } },
        ],
        responses: {
          '200': json(out(CommuneUserView), 'Revoked'),
          '204': { description: 'Revoked; no role left here' },
          '409': err('last_admin'),
          ...staff,
        },
      },
    },
    [`${c}/users/{userId}/disable`]: {
      post: {
        summary: 'Disable an account (ends its sessions at once)',
        security: cookie,
        parameters: userParams,
        responses: { '200': json(out(CommuneUserView), 'Disabled'), ...staff },
      },
    },
    [`${c}/users/{userId}/enable`]: {
      post: {
        summary: 'Re-enable an account',
        security: cookie,
        parameters: userParams,
        responses: { '200': json(out(CommuneUserView), 'Enabled'), ...staff },
      },
    },
    [`${c}/settings`]: {
      get: {
        summary: 'Settings of the commune: admin TOTP, public photos, retention periods, privacy contact',
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(CommuneSettings), 'Settings'), ...staff },
      },
      patch: {
        summary: 'Change some settings (only those sent; retention periods within RETENTION_LIMITS)',
        security: cookie,
        parameters: [communeParam],
        requestBody: body(CommuneSettingsBody),
        responses: { '200': json(out(CommuneSettings), 'Settings'), ...staff },
      },
    },
    [`${c}/audit`]: {
      get: {
        summary: "The commune's audit log (admins)",
        security: cookie,
        parameters: [communeParam, ...queryParams(AuditQuery)],
        responses: { '200': json(out(z.object({ items: z.array(AuditEntryView) })), 'Entries'), ...staff },
      },
    },
  };
}

/** Staff edits and moderation of one report (issue 6). */
function moderationPaths(): Record<string, object> {
  const cookie = [{ session: [] }];
  const staff = {
    '400': err('Invalid request'),
    '401': err('Not signed in'),
    '403': err('Not allowed for your role'),
    '404': err("Not found (or another commune's)"),
  };
  const photoParams = [
    idParam,
    { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 4 } },
  ];
  const changed = (what: string, status = '200') => ({ [status]: json(out(StaffReport), what), ...staff });
  const r = '/api/staff/reports/{id}';
  return {
    [`${r}/merge`]: {
      post: {
        summary: 'Mark reports as duplicates of this one, all or none (supervisors)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(MergeBody),
        responses: {
          ...changed('The kept report'),
          '409': err('A duplicate is closed'),
          '422': err('Not found'),
        },
      },
    },
    [`${r}/unmerge`]: {
      post: {
        summary: 'Reopen duplicates of this report (supervisors)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(UnmergeBody),
        responses: { ...changed('The kept report'), '422': err('Not a duplicate of this report') },
      },
    },
    [`${r}/notes`]: {
      post: {
        summary: 'Add an internal note (never shown to the public)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(NoteBody),
        responses: changed('Added', '201'),
      },
    },
    [`${r}/updates`]: {
      post: {
        summary: 'Add a public update, shown to the reporter (supervisors)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(NoteBody),
        responses: changed('Added', '201'),
      },
    },
    [`${r}/moderation`]: {
      patch: {
        summary: 'Hide the report from the public, or set the text the public sees (supervisors)',
        security: cookie,
        parameters: [idParam],
        requestBody: body(ReportModerationBody),
        responses: changed('Moderated'),
      },
    },
    [`${r}/photos/{n}`]: {
      patch: {
        summary: 'Hide a photo from the public, or approve it for public display (supervisors)',
        security: cookie,
        parameters: photoParams,
        requestBody: body(PhotoModerationBody),
        responses: changed('Moderated'),
      },
    },
    [`${r}/photos/{n}/redaction`]: {
      post: {
        summary: 'Redact rectangles of a photo; keep the original for admins or delete it (supervisors)',
        security: cookie,
        parameters: photoParams,
        requestBody: body(RedactionBody),
        responses: { ...changed('Redacted'), '409': err('The photo changed meanwhile') },
      },
    },
    [`${r}/photos/{n}/original`]: {
      delete: {
        summary: 'Delete the kept original of a redacted photo (supervisors)',
        security: cookie,
        parameters: photoParams,
        responses: { ...changed('Deleted'), '409': err('The photo is not redacted') },
      },
    },
  };
}

/** Statistics and exports of the filtered report list (the staff list's filter). */
function statsAndExportPaths(): Record<string, object> {
  const forbidden = err('You may read statistics or export in none of your communes');
  const stat = (summary: string, query: z.ZodObject, answer: z.ZodType) => ({
    get: {
      summary,
      security: cookie,
      parameters: queryParams(query),
      responses: { '200': json(out(answer), 'Figures'), ...errors, '403': forbidden, ...staff },
    },
  });
  const file = (summary: string, type: string) => ({
    get: {
      summary,
      security: cookie,
      parameters: queryParams(ExportQuery),
      responses: {
        '200': {
          description:
            'The file, streamed (a failure after the first byte cuts the connection: never a truncated file that looks complete)',
          content: { [type]: {} },
        },
        ...errors,
        '403': forbidden,
        ...staff,
      },
    },
  });
  return {
    '/api/stats/summary': stat(
      'Reports of the filter by status, and the categories in view',
      StatsQuery,
      SummaryAnswer,
    ),
    '/api/stats/timeline': stat(
      "Reports received per period (commune's days, ISO weeks, months), category and status",
      TimelineQuery,
      TimelineAnswer,
    ),
    '/api/stats/resolution': stat(
      'Median and 90th percentile time to fix (and to close) per category',
      StatsQuery,
      ResolutionAnswer,
    ),
    '/api/stats/backlog': stat('Open reports by age bucket and category', StatsQuery, BacklogAnswer),
    '/api/stats/hotspots': stat(
      'Reports per grid cell (lon/lat rectangles), busiest first',
      HotspotsQuery,
      HotspotsAnswer,
    ),
    '/api/reports/export.csv': file(
      "CSV of the filtered list (UTF-8 with BOM, ';' separator, local times, formulas neutralised; contact_email for admins only)",
      'text/csv',
    ),
    '/api/reports/export.geojson': file(
      'GeoJSON FeatureCollection of the filtered list (RFC 7946 points, UTC times; contact_email for admins only)',
      'application/geo+json',
    ),
  };
}

/** A commune's settings for admins (server/src/settings/): categories, depot, working hours, crews. */
function settingsPaths(): Record<string, object> {
  const c = '/api/staff/communes/{commune}';
  const codeParam = { name: 'code', in: 'path', required: true, schema: { type: 'string' } };
  const crewParam = { name: 'crewId', in: 'path', required: true, schema: { type: 'integer' } };
  const memberParam = {
    name: 'userId',
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  };
  return {
    [`${c}/categories`]: {
      get: {
        summary: 'Every category of the commune, with report counts and work-type suggestions (admins)',
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(AdminCategoriesAnswer), 'Categories'), ...staff },
      },
      post: {
        summary: 'Add a category',
        security: cookie,
        parameters: [communeParam],
        requestBody: body(CreateCategoryBody),
        responses: {
          '201': json(out(AdminCategoryView), 'Created'),
          '409': err('category_code_taken'),
          ...staff,
        },
      },
    },
    [`${c}/categories/{code}`]: {
      patch: {
        summary: 'Change a category (its code only while no report uses it)',
        security: cookie,
        parameters: [communeParam, codeParam],
        requestBody: body(UpdateCategoryBody),
        responses: {
          '200': json(out(AdminCategoryView), 'Changed'),
          '409': err('category_code_in_use, category_code_taken, last_active_category'),
          ...staff,
        },
      },
      delete: {
        summary: 'Delete a category no report uses (deactivate the others)',
        security: cookie,
        parameters: [communeParam, codeParam],
        responses: {
          '204': { description: 'Deleted' },
          '409': err('category_in_use, last_active_category'),
          ...staff,
        },
      },
    },
    [`${c}/depot`]: {
      get: {
        summary: 'Where the crews start and end their day, with the boundary for the map',
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(DepotView), 'Depot'), ...staff },
      },
      put: {
        summary: 'Move the depot (inside the commune)',
        security: cookie,
        parameters: [communeParam],
        requestBody: body(DepotBody),
        responses: { '200': json(out(DepotView), 'Moved'), '422': err('depot_outside_commune'), ...staff },
      },
    },
    [`${c}/working-hours`]: {
      get: {
        summary: "When the crews' day starts",
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(WorkingHoursBody), 'Working hours'), ...staff },
      },
      put: {
        summary: "Set when the crews' day starts (arrival times are shown from it)",
        security: cookie,
        parameters: [communeParam],
        requestBody: body(WorkingHoursBody),
        responses: { '200': json(out(WorkingHoursBody), 'Working hours'), ...staff },
      },
    },
    [`${c}/crews`]: {
      get: {
        summary: "The commune's crews (everyone of the commune; members for admins only)",
        security: cookie,
        parameters: [communeParam],
        responses: { '200': json(out(z.object({ items: z.array(CrewView) })), 'Crews'), ...staff },
      },
      post: {
        summary: 'Add a crew',
        security: cookie,
        parameters: [communeParam],
        requestBody: body(CreateCrewBody),
        responses: { '201': json(out(CrewView), 'Created'), '409': err('crew_name_taken'), ...staff },
      },
    },
    [`${c}/crews/{crewId}`]: {
      patch: {
        summary: 'Change or deactivate a crew',
        security: cookie,
        parameters: [communeParam, crewParam],
        requestBody: body(UpdateCrewBody),
        responses: { '200': json(out(CrewView), 'Changed'), '409': err('crew_name_taken'), ...staff },
      },
    },
    [`${c}/crews/{crewId}/members/{userId}`]: {
      put: {
        summary: 'Add a member (a user with a role in the commune)',
        security: cookie,
        parameters: [communeParam, crewParam, memberParam],
        responses: { '200': json(out(CrewView), 'The crew'), ...staff },
      },
      delete: {
        summary: 'Remove a member',
        security: cookie,
        parameters: [communeParam, crewParam, memberParam],
        responses: { '200': json(out(CrewView), 'The crew'), ...staff },
      },
    },
  };
}

/** The OpenAPI 3.1 description of the API, generated from the shared zod contract. */
export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigie API',
      version: '0.1.0',
      description: 'Road-defect reports for communes: offline-first, idempotent uploads, PostGIS routing.',
    },
    components: {
      schemas: { Error: out(ErrorBody), PublicReport: out(PublicReport), OwnReport: out(OwnReport) },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-vigie_sid',
          description:
            'Staff session (vigie_sid on plain-HTTP loopback). State changes need a same-origin request.',
        },
      },
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Liveness and database check',
          responses: {
            '200': json(
              { type: 'object', properties: { ok: { type: 'boolean' }, db: { type: 'string' } } },
              'Up',
            ),
          },
        },
      },
      '/api/communes': {
        get: {
          summary: 'Communes served',
          responses: { '200': json(out(z.array(CommuneView)), 'Communes') },
        },
      },
      '/api/addresses': {
        get: {
          summary: 'Address suggestions of a commune, from the local address table',
          parameters: queryParams(AddressesQuery),
          responses: { '200': json(out(AddressesAnswer), 'Suggestions'), ...errors },
        },
      },
      '/api/categories': {
        get: {
          summary: 'Categories of the commune containing a point',
          parameters: queryParams(CategoriesQuery),
          responses: { '200': json(out(CategoriesAnswer), 'Categories'), ...errors },
        },
      },
      '/api/reports': {
        get: {
          summary: 'Public list of reports (keyset pagination)',
          parameters: queryParams(ListReportsQuery),
          responses: { '200': json(out(ReportPage), 'A page'), ...errors },
        },
      },
      '/api/reports/nearby': {
        get: {
          summary: 'Open reports within 50 m (the "already reported" hint)',
          parameters: queryParams(NearbyQuery),
          responses: {
            '200': json(out(z.object({ items: z.array(NearbyReport) })), 'Nearby open reports'),
            ...errors,
          },
        },
      },
      '/api/reports/mine': {
        get: {
          summary: 'Reports sent from this device',
          parameters: [tokenHeader(true)],
          responses: {
            '200': json(out(z.object({ items: z.array(PublicReport) })), 'My reports'),
            ...errors,
          },
        },
      },
      '/api/reports/{id}': {
        put: {
          summary: 'Send a report (idempotent: the id is generated by the client)',
          parameters: [idParam, tokenHeader(true)],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  ...input(CreateReportFields),
                  properties: {
                    ...(input(CreateReportFields).properties as object),
                    photos: {
                      type: 'array',
                      minItems: 1,
                      maxItems: 4,
                      items: { type: 'string', format: 'binary' },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '201': json({ $ref: '#/components/schemas/OwnReport' }, 'Stored'),
            '200': json({ $ref: '#/components/schemas/OwnReport' }, 'Already stored (identical retry)'),
            '409': json({ $ref: '#/components/schemas/Error' }, 'The id was used for a different report'),
            '413': json({ $ref: '#/components/schemas/Error' }, 'A photo is too large'),
            '415': json({ $ref: '#/components/schemas/Error' }, 'Not an accepted image type'),
            '422': json(
              { $ref: '#/components/schemas/Error' },
              'Outside every commune, unknown category, undecodable image',
            ),
            ...errors,
          },
        },
        get: {
          summary: 'A report (own fields with the reporter token)',
          parameters: [idParam, tokenHeader(false)],
          responses: { '200': json({ $ref: '#/components/schemas/PublicReport' }, 'The report'), ...errors },
        },
      },
      '/api/reports/{id}/contact': {
        delete: {
          summary:
            "Erase the reporter's contact data (email, language, queued and sent emails, unsubscribe links); idempotent",
          parameters: [idParam, tokenHeader(true)],
          responses: {
            '200': json(out(ContactErased), 'Erased (or nothing left to erase)'),
            '404': err('Missing, or not sent from this device (indistinguishable)'),
            '400': err('Missing or malformed X-Reporter-Token or id'),
          },
        },
      },
      '/unsubscribe/{token}': {
        get: {
          summary:
            'One-click unsubscribe link of a notification email: a confirmation page (HTML), changes nothing',
          parameters: [
            { name: 'token', in: 'path', required: true, schema: { type: 'string', minLength: 43 } },
          ],
          responses: {
            '200': { description: 'HTML page' },
            '404': { description: 'Unknown or erased link (HTML)' },
          },
        },
        post: {
          summary:
            "Stops the report's notification emails (RFC 8058 List-Unsubscribe-Post; no session; body ignored)",
          parameters: [
            { name: 'token', in: 'path', required: true, schema: { type: 'string', minLength: 43 } },
          ],
          responses: {
            '200': { description: 'HTML confirmation' },
            '404': { description: 'Unknown link (HTML)' },
          },
        },
      },
      '/privacy/{commune}': {
        get: {
          summary: "The commune's printable privacy notice (HTML), generated from its settings",
          parameters: [communeParam, ...queryParams(PrivacyNoticeQuery)],
          responses: { '200': { description: 'HTML page' }, ...errors },
        },
      },
      '/api/reports/{id}/photos/{n}': {
        get: {
          summary:
            'A photo of a report: to its reporter, to staff of its commune, and to anybody once approved ' +
            'where the commune shows photos; the redacted rendition when there is one (404 when missing or not allowed)',
          parameters: [
            idParam,
            { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 4 } },
            { name: 'size', in: 'query', required: false, schema: { enum: ['full', 'thumb'] } },
            {
              name: 'original',
              in: 'query',
              required: false,
              description: '1: the original of a redacted photo (admins of the commune only)',
              schema: { enum: ['0', '1'] },
            },
            tokenHeader(false),
          ],
          responses: { '200': { description: 'JPEG', content: { 'image/jpeg': {} } }, '404': errors['404'] },
        },
      },
      ...staffPaths(),
      ...statsAndExportPaths(),
      ...open311Paths(),
    },
  };
}

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2, briefly: the
 * specification is the reference. `{format}` is `xml` or `json`; errors are
 * `[{code, description}]` (`<errors><error>` in XML); `jurisdiction_id` is the commune's slug.
 */
function open311Paths(): Record<string, object> {
  const v2 = '/open311/v2';
  const fmt = { name: 'format', in: 'path', required: true, schema: { enum: ['xml', 'json'] } };
  const jurisdiction = {
    name: 'jurisdiction_id',
    in: 'query',
    required: false,
    description: 'Commune slug; required when the server serves several communes',
    schema: { type: 'string' },
  };
  const ok = (schema: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: out(schema) }, 'text/xml': {} },
  });
  const problems = {
    '400': { description: 'Invalid or missing parameter ([{code, description}])' },
    '404': { description: 'Unknown jurisdiction, service or request' },
  };
  return {
    [`${v2}/discovery.{format}`]: {
      get: {
        summary: 'Open311 service discovery',
        parameters: [fmt],
        responses: { '200': ok(Open311Discovery, 'Discovery') },
      },
    },
    [`${v2}/services.{format}`]: {
      get: {
        summary: "Open311 services: the commune's active categories",
        parameters: [fmt, jurisdiction],
        responses: { '200': ok(z.array(Open311Service), 'Services'), ...problems },
      },
    },
    [`${v2}/services/{service_code}.{format}`]: {
      get: {
        summary: 'Open311 service definition (danger, observed_at, landmark)',
        parameters: [
          fmt,
          jurisdiction,
          { name: 'service_code', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': ok(Open311ServiceDefinition, 'Definition'), ...problems },
      },
    },
    [`${v2}/requests.{format}`]: {
      get: {
        summary: "Open311 service requests: the commune's public reports (90 days by default, at most 1000)",
        parameters: [fmt, ...queryParams(Open311RequestsQuery)],
        responses: { '200': ok(z.array(Open311Request), 'Requests'), ...problems },
      },
      post: {
        summary: "Create a service request with the commune's api_key (npm run admin -- open311:key)",
        parameters: [fmt],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                ...input(Open311PostFields),
                description: 'Plus attribute[code]=value (attribute[code][]=v for a multivaluelist).',
              },
            },
          },
        },
        responses: {
          '200': ok(z.array(Open311PostAnswer), 'Stored at once: its service_request_id'),
          '403': { description: 'Missing or invalid api_key, or a key of another commune' },
          '429': { description: 'Too many requests with this key (Retry-After)' },
          ...problems,
        },
      },
    },
    [`${v2}/requests/{service_request_id}.{format}`]: {
      get: {
        summary: 'One Open311 service request (a one-item list)',
        parameters: [
          fmt,
          jurisdiction,
          {
            name: 'service_request_id',
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid' },
          },
        ],
        responses: { '200': ok(z.array(Open311Request), 'The request'), ...problems },
      },
      ...settingsPaths(),
    },
  };
}
