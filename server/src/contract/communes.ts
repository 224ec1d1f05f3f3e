import { z } from 'zod';
import { Latitude, Longitude, Priority } from './common';

/** A commune as listed publicly. */
export const CommuneView = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  /** INSEE code (official French commune code). */
  inseeCode: z.string(),
  centroid: z.object({ lat: z.number(), lon: z.number() }),
  /** [minLon, minLat, maxLon, maxLat]. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type CommuneView = z.infer<typeof CommuneView>;

/** Query of `GET /api/categories`. */
export const CategoriesQuery = z
  .object({
    /** Latitude of the point whose commune's categories are wanted. */
    lat: Latitude,
    /** Longitude of the point. */
    lon: Longitude,
  })
  .strict();

/** A category a resident can pick. */
export const CategoryView = z.object({
  code: z.string(),
  labelFr: z.string(),
  labelEn: z.string(),
  /** Icon name understood by the client (e.g. `pothole`). */
  icon: z.string(),
  /** Work type: reports of one work type are batched into one round (same material, same equipment). */
  workType: z.string(),
  defaultPriority: Priority,
});
export type CategoryView = z.infer<typeof CategoryView>;

/** Answer of `GET /api/categories`. */
export const CategoriesAnswer = z.object({
  commune: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
  categories: z.array(CategoryView),
});
export type CategoriesAnswer = z.infer<typeof CategoriesAnswer>;
