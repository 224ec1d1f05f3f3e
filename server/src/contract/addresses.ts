import { z } from 'zod';
import { CommuneSlug, integer } from './common';

/** Query of `GET /api/addresses`: address autocomplete and geocoding from the local table. */
export const AddressesQuery = z
  .object({
    /** Slug of the commune to search in. */
    commune: CommuneSlug,
    /** What the person typed: part of a street name, a number and a street, a lieu-dit. */
    q: z.string().trim().min(2, 'type at least 2 characters').max(200),
    /** How many suggestions. */
    limit: integer(1, 50).default(10),
  })
  .strict();
export type AddressesQuery = z.infer<typeof AddressesQuery>;

/** An address of a commune, as suggested. */
export const AddressView = z.object({
  /** What people read, e.g. "12 Rue de l'Église". */
  label: z.string(),
  /** The street or lieu-dit alone, e.g. "Rue de l'Église". */
  street: z.string(),
  lat: z.number(),
  lon: z.number(),
});
export type AddressView = z.infer<typeof AddressView>;

/** Answer of `GET /api/addresses`. */
export const AddressesAnswer = z.object({ items: z.array(AddressView) });
export type AddressesAnswer = z.infer<typeof AddressesAnswer>;
