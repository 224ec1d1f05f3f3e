import { z } from 'zod';
import { integer, Priority, ReportStatus, Uuid } from './common';

/** A calendar day, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date();

/** Statuses of a plan. */
export const PLAN_STATUSES = ['draft', 'published', 'closed'] as const;
export const PlanStatus = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof PlanStatus>;

/** What a crew did at a stop. */
export const STOP_OUTCOMES = ['done', 'not_fixable', 'skipped'] as const;
export const StopOutcome = z.enum(STOP_OUTCOMES);
export type StopOutcome = z.infer<typeof StopOutcome>;
export const StopStatus = z.enum(['pending', ...STOP_OUTCOMES]);
export type StopStatus = z.infer<typeof StopStatus>;

const WorkType = z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be a work type code');

/** Body of `POST /api/plans/preview`. */
export const PlanPreviewRequest = z
  .object({
    /** Commune to plan (the supervisor's). */
    communeId: integer(1, 2_147_483_647),
    /** Day to plan. */
    date: IsoDate,
    /** Crews working that day (default: every active crew of the commune). */
    crewIds: z.array(integer(1, 2_147_483_647)).max(100).optional(),
    /** Work types to plan (default: all). */
    workTypes: z.array(WorkType).max(50).optional(),
    /** Search time, milliseconds. */
    timeBudgetMs: integer(50, 10_000).default(1000),
  })
  .strict();
export type PlanPreviewRequest = z.infer<typeof PlanPreviewRequest>;

/** One plan as the supervisor saves it: a crew, a work type, an order of reports. */
export const PlanDraft = z
  .object({
    /** Crew doing the round. */
    crewId: integer(1, 2_147_483_647),
    /** Work type of every stop. */
    workType: WorkType,
    /** The stops, in order. */
    reportIds: z.array(Uuid).min(1).max(500),
  })
  .strict();
export type PlanDraft = z.infer<typeof PlanDraft>;

/** Body of `POST /api/plans`. */
export const SavePlansRequest = z
  .object({
    /** Commune of the plans. */
    communeId: integer(1, 2_147_483_647),
    /** Day of the plans. */
    date: IsoDate,
    /** The plans. */
    plans: z.array(PlanDraft).min(1).max(100),
  })
  .strict();
export type SavePlansRequest = z.infer<typeof SavePlansRequest>;

/** Query of `GET /api/plans`. */
export const ListPlansQuery = z
  .object({
    /** Only plans of this day. */
    date: IsoDate.optional(),
    /** Only plans in this status. */
    status: PlanStatus.optional(),
    /** Only this commune (default: all of the user's). */
    communeId: integer(1, 2_147_483_647).optional(),
  })
  .strict();
export type ListPlansQuery = z.infer<typeof ListPlansQuery>;

/** Path parameters of a plan. */
export const PlanIdParams = z.object({ id: Uuid });
/** Path parameters of a stop. */
export const StopParams = z.object({ id: Uuid, reportId: Uuid });

/** Query of `GET /api/plans/:id/stops/:reportId/photo`. */
export const StopPhotoQuery = z
  .object({
    /** `thumb` for the small copy shown in lists. */
    size: z.enum(['full', 'thumb']).default('full'),
    /** Version tag in the URL the plan gives (a new photo, a new URL); not used for lookup. */
    v: z
      .string()
      .regex(/^[0-9a-f]{1,64}$/)
      .optional(),
  })
  .strict();

/** Body of `PUT /api/plans/:id/stops/:reportId` (JSON, or multipart with an optional `photo`). */
export const StopUpdateRequest = z
  .object({
    /** What the crew did. */
    status: StopOutcome,
    /** A word for the town hall (optional). */
    note: z.string().max(2000).optional(),
    /** When it was done, from the phone's clock (ISO 8601 with offset). */
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type StopUpdateRequest = z.infer<typeof StopUpdateRequest>;

/** A stop with what the crew needs to find and fix the defect. */
export const StopView = z.object({
  position: z.number().int(),
  reportId: z.string(),
  status: StopStatus,
  note: z.string().nullable(),
  doneAt: z.string().nullable(),
  arrivalMinute: z.number(),
  serviceMinutes: z.number(),
  travelMinutes: z.number(),
  distanceMetres: z.number(),
  /** The crew's after-photo of this stop (authorised like the plan), or null. */
  afterPhotoUrl: z.string().nullable(),
  report: z.object({
    category: z.object({ code: z.string(), labelFr: z.string(), labelEn: z.string(), icon: z.string() }),
    lat: z.number(),
    lon: z.number(),
    description: z.string().nullable(),
    priority: Priority,
    status: ReportStatus,
    thumbUrl: z.string().nullable(),
  }),
});
export type StopView = z.infer<typeof StopView>;

/** Reasons the road network was configured but not used (see server/src/plans/osrm.ts). */
export const TRAVEL_FALLBACK_REASONS = [
  'unreachable',
  'timeout',
  'http_error',
  'osrm_error',
  'malformed',
] as const;

/** Which travel times a proposal or a save used, and why it fell back to the default model. */
export const TravelInfo = z.object({
  /** `road_network`: the OSRM table; `great_circle`: straight line x 1.3 at each crew's speed. */
  model: z.enum(['road_network', 'great_circle']),
  /** Set when a road network is configured but could not be used this time; null otherwise. */
  fallback: z
    .object({
      reason: z.enum(TRAVEL_FALLBACK_REASONS),
      /** What went wrong, in English, for the supervisor to pass on to whoever runs the server. */
      message: z.string(),
    })
    .nullable(),
});
export type TravelInfo = z.infer<typeof TravelInfo>;

/** Totals of a round. */
export const PlanTotals = z.object({
  travelMinutes: z.number(),
  serviceMinutes: z.number(),
  totalMinutes: z.number(),
  distanceMetres: z.number(),
  workingMinutes: z.number(),
  returnTravelMinutes: z.number(),
});
export type PlanTotals = z.infer<typeof PlanTotals>;

/** A plan with its stops. */
export const PlanView = z.object({
  id: z.string(),
  communeId: z.number().int(),
  date: z.string(),
  workType: z.string(),
  crew: z.object({ id: z.number().int().nullable(), name: z.string() }),
  status: PlanStatus,
  /** When the round starts, minutes after midnight (the commune's working hours): arrivals are counted from it. */
  dayStartMinute: z.number().int(),
  depot: z.object({ lat: z.number(), lon: z.number() }),
  supply: z
    .object({ name: z.string().nullable(), lat: z.number(), lon: z.number(), arrivalMinute: z.number() })
    .nullable(),
  totals: PlanTotals,
  stops: z.array(StopView),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type PlanView = z.infer<typeof PlanView>;
