import { z } from 'zod';
import { CommuneRole, Email, Password } from './auth';
import { CommuneSlug, integer, ReportStatus, Uuid } from './common';
import { checkFilterDates, ReportFilterFields } from './filters';
import { LIMITS } from './limits';
import { PageCursor, PageLimit, PhotoView, PublicReport, ReportEventView } from './reports';

/** Requests and answers of the staff API (`/api/staff/...`): scoped to the user's communes. */

export { CommuneSlug };

/** Query of `GET /api/staff/reports`: the shared report filter, and paging. */
export const StaffReportsQuery = ReportFilterFields.extend({
  /** Page size. */
  limit: PageLimit,
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: PageCursor.optional(),
}).superRefine(checkFilterDates);
export type StaffReportsQuery = z.infer<typeof StaffReportsQuery>;

/** Query of `GET /api/staff/reports.csv`. */
export const StaffExportQuery = z
  .object({
    /** The commune to export (one where the user may export). */
    commune: CommuneSlug,
  })
  .strict();

/** An entry of a report's full history (staff see internal entries too). */
export const StaffEventView = ReportEventView.extend({
  actorKind: z.enum(['reporter', 'staff', 'system']),
  public: z.boolean(),
  note: z.string().nullable(),
});
export type StaffEventView = z.infer<typeof StaffEventView>;

/** A report as staff see it. `contactEmail` is present only for supervisors and admins. */
export const StaffReport = PublicReport.extend({
  contactEmail: z.string().nullable().optional(),
  photos: z.array(PhotoView),
  history: z.array(StaffEventView),
});
export type StaffReport = z.infer<typeof StaffReport>;

/** A page of the staff report list. */
export const StaffReportPage = z.object({
  items: z.array(PublicReport),
  nextCursor: z.string().nullable(),
});
export type StaffReportPage = z.infer<typeof StaffReportPage>;

/** Statuses a crew member may set from the field; supervisors may set any status. */
export const CREW_STATUSES: readonly z.infer<typeof ReportStatus>[] = ['in_progress', 'fixed', 'not_fixable'];
/** Statuses that are moderation decisions (audited as such). */
export const MODERATION_STATUSES: readonly z.infer<typeof ReportStatus>[] = ['rejected', 'duplicate'];

/** Body of `POST /api/staff/reports/:id/status`. */
export const StatusChangeBody = z
  .object({
    /** The new status. */
    status: ReportStatus,
    /** Internal note kept in the report's history (not shown to the resident). */
    note: z.string().trim().max(1000).optional(),
    /** Why: required to reject, kept for every closed status and shown to the resident. */
    reason: z.string().trim().max(1000).optional(),
    /** The report that is kept, when this one becomes a duplicate (same commune). */
    duplicateOf: Uuid.optional(),
  })
  .strict();
export type StatusChangeBody = z.infer<typeof StatusChangeBody>;

/** Path parameters of the commune-scoped admin routes. */
export const CommuneParams = z.object({ commune: CommuneSlug });
/** Path parameters of a user in a commune. */
export const CommuneUserParams = z.object({
  commune: CommuneSlug,
  userId: z.uuid('must be a user id'),
});
/** Path parameters of a role of a user in a commune. */
export const CommuneUserRoleParams = CommuneUserParams.extend({ role: CommuneRole });

/** Body of `POST /api/staff/communes/:commune/users`. */
export const CreateUserBody = z
  .object({
    /** The new user's email address. */
    email: Email,
    /** Their role in this commune. */
    role: CommuneRole,
    /**
     * Initial password (at least 12 characters, not a common one), handed over by the admin.
     * Ignored when the address already has an account: the role is added to it instead.
     */
    password: Password.optional(),
  })
  .strict();

/** Body of `PATCH /api/staff/communes/:commune/settings`. */
export const CommuneSettingsBody = z
  .object({
    /** Require a second factor (TOTP) for this commune's admins. */
    requireAdminTotp: z.boolean(),
  })
  .strict();

/** A commune's security settings. */
export const CommuneSettings = z.object({ requireAdminTotp: z.boolean() });

/** A user as the admins of a commune see it: only the roles held in that commune. */
export const CommuneUserView = z.object({
  id: z.string(),
  email: z.string(),
  roles: z.array(CommuneRole),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: z.string(),
});
export type CommuneUserView = z.infer<typeof CommuneUserView>;

/** Query of `GET /api/staff/communes/:commune/audit`. */
export const AuditQuery = z
  .object({
    /** Page size. */
    limit: integer(1, LIMITS.maxPageSize).default(LIMITS.defaultPageSize),
    /** Only entries older than this id (the previous page's last id). */
    before: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

/** One audit entry. */
export const AuditEntryView = z.object({
  id: z.number().int(),
  /** UTC, ISO 8601. */
  at: z.string(),
  actorKind: z.string(),
  actorUserId: z.string().nullable(),
  communeId: z.number().int().nullable(),
  action: z.string(),
  outcome: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  requestId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
