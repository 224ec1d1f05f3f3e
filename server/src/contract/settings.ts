import { z } from 'zod';
import { integer, Latitude, Longitude, Priority } from './common';
import { CommuneSlug } from './staff';

/**
 * The commune settings admins manage (`/api/staff/communes/:commune/...`): categories, depot,
 * crews and their members, working hours. Shared with the settings screen's forms.
 */

/** Icons the residents' app draws (client/src/ui/CategoryIcon.tsx is typed against this list). */
export const CATEGORY_ICONS = [
  'pothole',
  'road',
  'light',
  'sign',
  'tree',
  'drain',
  'dumping',
  'other',
] as const;
export const CategoryIcon = z.enum(CATEGORY_ICONS);
export type CategoryIconName = z.infer<typeof CategoryIcon>;

/** A code: lower-case letters, digits and underscores (category codes, work types). */
const CODE = /^[a-z0-9_]{1,40}$/;

/** A category code, as reports carry it (`pothole`). */
export const CategoryCode = z.string().regex(CODE, 'must be 1 to 40 lower-case letters, digits or _');

/**
 * A work type: free text, because each commune names its own equipment, but a code, because
 * it groups reports into rounds (`asphalt`, `lighting`).
 */
export const WorkTypeCode = z.string().regex(CODE, 'must be 1 to 40 lower-case letters, digits or _');

/** Work types every commune starts with, offered as suggestions. */
export const SUGGESTED_WORK_TYPES = [
  'asphalt',
  'lighting',
  'signage',
  'green',
  'drainage',
  'cleaning',
  'general',
] as const;

const Label = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** Path parameters of a category of a commune. */
export const CategoryParams = z.object({ commune: CommuneSlug, code: CategoryCode });

/** Body of `POST /api/staff/communes/:commune/categories`. */
export const CreateCategoryBody = z
  .object({
    /** Stable code sent by residents' phones; cannot change once a report uses it. */
    code: CategoryCode,
    /** Name shown in French. */
    labelFr: Label,
    /** Name shown in English. */
    labelEn: Label,
    /** Icon of the residents' category grid. */
    icon: CategoryIcon,
    /** Work type: reports of one work type are batched into one round. */
    workType: WorkTypeCode,
    /** Expected time on site, minutes (planning). */
    defaultServiceMinutes: integer(1, 480),
    /** Priority of new reports of this category. */
    defaultPriority: Priority.default('normal'),
    /** Offered to residents (inactive categories keep their reports). */
    active: z.boolean().default(true),
  })
  .strict();
export type CreateCategoryBody = z.infer<typeof CreateCategoryBody>;

/** Body of `PATCH /api/staff/communes/:commune/categories/:code`: the fields to change. */
export const UpdateCategoryBody = z
  .object({
    /** A new code: only while no report uses the category (409 `category_code_in_use` otherwise). */
    code: CategoryCode.optional(),
    labelFr: Label.optional(),
    labelEn: Label.optional(),
    icon: CategoryIcon.optional(),
    workType: WorkTypeCode.optional(),
    defaultServiceMinutes: integer(1, 480).optional(),
    defaultPriority: Priority.optional(),
    /** Deactivate instead of deleting a category that reports use. */
    active: z.boolean().optional(),
    /** Place in the residents' grid (smaller first). */
    position: integer(0, 10_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateCategoryBody = z.infer<typeof UpdateCategoryBody>;

/** A category as admins see it. */
export const AdminCategoryView = z.object({
  code: z.string(),
  labelFr: z.string(),
  labelEn: z.string(),
  icon: z.string(),
  workType: z.string(),
  defaultServiceMinutes: z.number().int(),
  defaultPriority: Priority,
  active: z.boolean(),
  position: z.number().int(),
  /** Reports of this category: when above 0, the code is fixed and deleting is refused. */
  reports: z.number().int(),
});
export type AdminCategoryView = z.infer<typeof AdminCategoryView>;

/** Answer of `GET /api/staff/communes/:commune/categories`. */
export const AdminCategoriesAnswer = z.object({
  items: z.array(AdminCategoryView),
  /** Work types in use in the commune and the usual ones, for the form's suggestions. */
  workTypes: z.array(z.string()),
});
export type AdminCategoriesAnswer = z.infer<typeof AdminCategoriesAnswer>;

/** Body of `PUT /api/staff/communes/:commune/depot`: where the crews start and end their day. */
export const DepotBody = z
  .object({
    /** Latitude, WGS 84 degrees; the point must lie inside the commune's boundary. */
    lat: Latitude,
    /** Longitude, WGS 84 degrees. */
    lon: Longitude,
  })
  .strict();
export type DepotBody = z.infer<typeof DepotBody>;

/** The depot and what the map needs to place it. */
export const DepotView = z.object({
  depot: z.object({ lat: z.number(), lon: z.number() }),
  /** The commune's boundary, GeoJSON MultiPolygon (WGS 84). */
  boundary: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.unknown()) }),
  /** [minLon, minLat, maxLon, maxLat] of the boundary. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type DepotView = z.infer<typeof DepotView>;

/** A clock time, `HH:MM` (24 h). */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 07:30');

/** Body of `PUT /api/staff/communes/:commune/working-hours`, and its answer. */
export const WorkingHoursBody = z
  .object({
    /** When the crews leave the depot, local time: arrival times are shown from here. */
    dayStart: ClockTime,
  })
  .strict();
export type WorkingHoursBody = z.infer<typeof WorkingHoursBody>;

/** `HH:MM` of minutes after midnight. */
export function minutesToClock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Minutes after midnight of an `HH:MM` time. */
export function clockToMinutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

const CrewId = integer(1, 2_147_483_647);

/** Path parameters of a crew of a commune. */
export const CrewParams = z.object({ commune: CommuneSlug, crewId: CrewId });
/** Path parameters of a member of a crew. */
export const CrewMemberParams = CrewParams.extend({ userId: z.uuid('must be a user id') });

const CrewName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const CrewWorkTypes = z
  .array(WorkTypeCode)
  .max(20)
  .refine((l) => new Set(l).size === l.length, 'must not repeat a work type');

/** Body of `POST /api/staff/communes/:commune/crews`. */
export const CreateCrewBody = z
  .object({
    /** Name shown on rounds and round sheets ("Équipe voirie"). */
    name: CrewName,
    /** Work types it can do; empty: any (a general crew). */
    workTypes: CrewWorkTypes.default([]),
    /** Length of its day, minutes, from leaving the depot to being back. */
    workingMinutes: integer(30, 900).default(450),
    /** Average driving speed for straight-line travel times, km/h. */
    speedKmh: integer(5, 130).default(40),
  })
  .strict();
export type CreateCrewBody = z.infer<typeof CreateCrewBody>;

/** Body of `PATCH /api/staff/communes/:commune/crews/:crewId`: the fields to change. */
export const UpdateCrewBody = z
  .object({
    name: CrewName.optional(),
    workTypes: CrewWorkTypes.optional(),
    workingMinutes: integer(30, 900).optional(),
    speedKmh: integer(5, 130).optional(),
    /** An inactive crew is not planned (its past rounds stay). */
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateCrewBody = z.infer<typeof UpdateCrewBody>;

/** A crew. `members` only for those who manage the commune's settings. */
export const CrewView = z.object({
  id: z.number().int(),
  name: z.string(),
  workTypes: z.array(z.string()),
  workingMinutes: z.number().int(),
  speedKmh: z.number(),
  active: z.boolean(),
  members: z.array(z.object({ id: z.string(), email: z.string() })).optional(),
});
export type CrewView = z.infer<typeof CrewView>;
