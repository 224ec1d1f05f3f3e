import { z } from 'zod';
import { CommuneRole, Email, Password } from './auth';
import { CommuneSlug, integer, Latitude, Longitude, Priority, ReportStatus, Uuid } from './common';
import { checkFilterDates, ReportFilterFields } from './filters';
import { RelatedReports } from './history';
import { LIMITS } from './limits';
import { MAX_PRIVACY_CONTACT, RETENTION_LIMITS } from './privacy';
import { REDACTION, REDACTION_STYLES, RedactionRect } from './moderation';
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

/** An entry of a report's full history (staff see internal entries too). */
export const StaffEventView = ReportEventView.extend({
  actorKind: z.enum(['reporter', 'staff', 'system']),
  public: z.boolean(),
  note: z.string().nullable(),
  /** The staff member who made the change (null for residents and the system, or a deleted account). */
  actorEmail: z.string().nullable(),
  /**
   * Everything the entry records: `{text}` of a `note` or `public_update`, `{from, to, reason}`
   * of a `category_changed` / `priority_changed` / `location_changed`, `{what, ...}` of a
   * `moderated` entry (hidden, public_text, photo_hidden, photo_redacted...).
   */
  data: z.record(z.string(), z.unknown()),
});
export type StaffEventView = z.infer<typeof StaffEventView>;

/** A photo as staff see it, with its moderation state. */
export const StaffPhotoView = PhotoView.extend({
  /** Hidden from the public (the reporter and staff still see it). */
  hidden: z.boolean(),
  /** When a moderator approved it for public display; null when not approved. */
  moderatedAt: z.string().nullable(),
  /** A redacted rendition is what `url` serves, to everybody. */
  redacted: z.boolean(),
  /** The unredacted original still exists (admins can open it at `originalUrl`). */
  originalKept: z.boolean(),
  /** Anybody may see it now (commune setting, approval, nothing hidden). */
  public: z.boolean(),
  /** The original of a redacted photo, for those allowed to see it (admins); null otherwise. */
  originalUrl: z.string().nullable(),
});
export type StaffPhotoView = z.infer<typeof StaffPhotoView>;

/** What the signed-in staff member may do on this report (the server checks again). */
export const StaffAbilities = z.object({
  /** Set the field statuses (in progress, fixed, not fixable). */
  fieldStatus: z.boolean(),
  /** Set any status: triage, rejections, duplicates, merges, reopening. */
  anyStatus: z.boolean(),
  /** Change category, priority, location; write public updates to the resident. */
  triage: z.boolean(),
  /** Add internal notes. */
  note: z.boolean(),
  /** Hide the report, edit its public text, moderate its photos. */
  moderate: z.boolean(),
  /** Open the originals of redacted photos. */
  original: z.boolean(),
});
export type StaffAbilities = z.infer<typeof StaffAbilities>;

/** A report as staff see it. `contactEmail` is present only for supervisors and admins. */
export const StaffReport = PublicReport.extend({
  contactEmail: z.string().nullable().optional(),
  photos: z.array(StaffPhotoView),
  history: z.array(StaffEventView),
  /** Hidden from the public by a moderator. */
  hidden: z.boolean(),
  /** The text the public sees instead of `description` (the resident's original), when edited. */
  publicDescription: z.string().nullable(),
  /** Why it was rejected or is not fixable (shown to the resident). */
  statusReason: z.string().nullable(),
  /** The report kept, when this one is a duplicate. */
  duplicateOf: z.string().nullable(),
  /** When it reached a closed status; null while open. */
  closedAt: z.string().nullable(),
  /** The commune shows moderated photos publicly. */
  photosPublic: z.boolean(),
  /** What the caller may do here. */
  can: StaffAbilities,
  /** The report it duplicates, its duplicates and the reports near it (the report page lists them). */
  ...RelatedReports.shape,
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

/** Why a change was made, kept in the report's history (optional). */
const Reason = z.string().trim().max(1000, 'must be at most 1000 characters').optional();

/** Body of `PATCH /api/staff/reports/:id`: category, priority and/or location (each kept in the history). */
export const ReportEditBody = z
  .object({
    /** An active category code of the report's commune. */
    category: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/, 'must be a category code')
      .optional(),
    /**
     * The new priority. Without it, a category change moves the priority to the new category's
     * default only if it still was the old category's default (see priorityAfterCategoryChange).
     */
    priority: Priority.optional(),
    /** The corrected place (must stay inside the commune); the address is looked up again. */
    location: z.object({ lat: Latitude, lon: Longitude }).strict().optional(),
    /** Why (kept in the history). */
    reason: Reason,
  })
  .strict()
  .refine((b) => b.category !== undefined || b.priority !== undefined || b.location !== undefined, {
    message: 'change at least one of category, priority or location',
    path: ['category'],
  });
export type ReportEditBody = z.infer<typeof ReportEditBody>;

/** Most reports merged into one in a single call. */
export const MAX_MERGE = 50;

const ReportIds = z
  .array(Uuid)
  .min(1, 'name at least one report')
  .max(MAX_MERGE, `at most ${MAX_MERGE} reports at once`)
  .refine((ids) => new Set(ids).size === ids.length, 'each report only once');

/** Body of `POST /api/staff/reports/:id/merge`: these reports duplicate `:id`, the one kept. */
export const MergeBody = z
  .object({
    /** The duplicates (same commune as the kept report). */
    duplicates: ReportIds,
    /** Why (kept in each duplicate's history). */
    reason: Reason,
  })
  .strict();
export type MergeBody = z.infer<typeof MergeBody>;

/** Body of `POST /api/staff/reports/:id/unmerge`: reopen duplicates of `:id`. */
export const UnmergeBody = z
  .object({
    /** Which duplicates to reopen; all of them when absent. */
    duplicates: ReportIds.optional(),
    /** Why (kept in each reopened report's history). */
    reason: Reason,
  })
  .strict();
export type UnmergeBody = z.infer<typeof UnmergeBody>;

/** Longest internal note or public update, characters. */
export const MAX_NOTE = 2000;

/** Body of `POST /api/staff/reports/:id/notes` (internal, never shown to the public) and `.../updates` (to the resident). */
export const NoteBody = z
  .object({
    /** The text. */
    text: z.string().trim().min(1, 'write something').max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`),
  })
  .strict();
export type NoteBody = z.infer<typeof NoteBody>;

/** Body of `PATCH /api/staff/reports/:id/moderation`. */
export const ReportModerationBody = z
  .object({
    /** Hide the report from every public view (true), or show it again (false). */
    hidden: z.boolean().optional(),
    /**
     * The text the public sees instead of the resident's description (which is kept); null or
     * empty: the public sees the original again.
     */
    publicDescription: z
      .string()
      .trim()
      .max(LIMITS.maxDescription, `must be at most ${LIMITS.maxDescription} characters`)
      .nullable()
      .optional(),
    /** Why (kept in the history and the audit log). */
    reason: Reason,
  })
  .strict()
  .refine((b) => b.hidden !== undefined || b.publicDescription !== undefined, {
    message: 'change hidden or publicDescription',
    path: ['hidden'],
  });
export type ReportModerationBody = z.infer<typeof ReportModerationBody>;

/** Path parameters of a report's photo in the staff API. */
export const StaffPhotoParams = z.object({
  /** The report's UUID. */
  id: Uuid,
  /** Photo position, 1-based. */
  n: integer(1, LIMITS.maxPhotos),
});

/** Body of `PATCH /api/staff/reports/:id/photos/:n`. */
export const PhotoModerationBody = z
  .object({
    /** Hide the photo from the public (the reporter and staff still see it), or show it again. */
    hidden: z.boolean().optional(),
    /** Approve it for public display where the commune shows photos (true), or withdraw the approval. */
    approved: z.boolean().optional(),
    /** Why (kept in the history and the audit log). */
    reason: Reason,
  })
  .strict()
  .refine((b) => b.hidden !== undefined || b.approved !== undefined, {
    message: 'change hidden or approved',
    path: ['hidden'],
  });
export type PhotoModerationBody = z.infer<typeof PhotoModerationBody>;

/** Body of `POST /api/staff/reports/:id/photos/:n/redaction`. */
export const RedactionBody = z
  .object({
    /** Rectangles in pixels of the stored photo (as served, redactions so far included). */
    rectangles: z
      .array(RedactionRect)
      .min(1, 'draw at least one rectangle')
      .max(REDACTION.maxRectangles, `at most ${REDACTION.maxRectangles} rectangles at once`),
    /** Solid fill (default, safest for number plates) or strong pixelating blur. */
    style: z.enum(REDACTION_STYLES).default('fill'),
    /**
     * `keep` the unredacted original for the commune's admins, or `delete` it for good (the file
     * is removed once no photo references it).
     */
    original: z.enum(['keep', 'delete']),
    /** Why (kept in the history and the audit log). */
    reason: Reason,
  })
  .strict();
export type RedactionBody = z.infer<typeof RedactionBody>;

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

/** Body of `PATCH /api/staff/communes/:commune/settings`: only the settings to change. */
export const CommuneSettingsBody = z
  .object({
    /** Require a second factor (TOTP) for this commune's admins. */
    requireAdminTotp: z.boolean().optional(),
    /** Photos may be shown to the public once a moderator has looked at them. */
    photosPublic: z.boolean().optional(),
    /** Months after closure before a report's contact email (and its emails) are erased. */
    contactRetentionMonths: integer(
      RETENTION_LIMITS.contactMonths.min,
      RETENTION_LIMITS.contactMonths.max,
    ).optional(),
    /** Years after closure before the location is rounded and texts and photos are removed. */
    locationRetentionYears: integer(
      RETENTION_LIMITS.locationYears.min,
      RETENTION_LIMITS.locationYears.max,
    ).optional(),
    /** How residents reach the town hall about their data (printed in the privacy notice); null to clear. */
    privacyContact: z.string().trim().max(MAX_PRIVACY_CONTACT).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one setting to change.' })
  .refine(
    (b) =>
      b.contactRetentionMonths === undefined ||
      b.locationRetentionYears === undefined ||
      b.locationRetentionYears * 12 >= b.contactRetentionMonths,
    {
      message: 'The location cannot be kept for less time than the contact email.',
      path: ['locationRetentionYears'],
    },
  );
export type CommuneSettingsBody = z.infer<typeof CommuneSettingsBody>;

/** A commune's settings as its admins see them. */
export const CommuneSettings = z.object({
  requireAdminTotp: z.boolean(),
  photosPublic: z.boolean(),
  contactRetentionMonths: z.number().int(),
  locationRetentionYears: z.number().int(),
  privacyContact: z.string().nullable(),
});
export type CommuneSettings = z.infer<typeof CommuneSettings>;

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
