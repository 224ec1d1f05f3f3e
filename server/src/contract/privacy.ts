import { z } from 'zod';
import { CommuneSlug } from './common';

/**
 * Personal data: notification language, retention periods and their bounds, the one-click
 * unsubscribe link and the privacy notice. Shared by the server and the client forms.
 */

/** Languages a notification email can be written in; French when the resident's is unknown. */
export const CONTACT_LOCALES = ['fr', 'en'] as const;
export const ContactLocale = z.enum(CONTACT_LOCALES);
export type ContactLocale = z.infer<typeof ContactLocale>;

/**
 * Bounds and defaults of a commune's retention periods, counted from a report's closure. The
 * same numbers are CHECK constraints in db/migrations/1795557705000_communes_retention.sql.
 * Contact data: long enough to answer a resident who comes back about a closed report, never
 * more than 3 years. Location, texts and photos: at least a year (statistics and disputes over
 * a repair), at most 20 years, and never less than the contact data.
 */
export const RETENTION_LIMITS = {
  contactMonths: { min: 1, max: 36, default: 12 },
  locationYears: { min: 1, max: 20, default: 5 },
} as const;

/** Decimal places a location keeps after the retention period (3 ≈ 110 m north-south, 75 m east-west in France). */
export const ANONYMISED_DECIMALS = 3;

/** Longest privacy contact text of a commune (postal address, email of the data protection officer). */
export const MAX_PRIVACY_CONTACT = 500;

/** Path parameter of `/unsubscribe/:token`: the random token of one email's link. */
export const UnsubscribeParams = z.object({
  /** 32 random bytes, base64url (43 characters). */
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an unsubscribe token'),
});

/** Path parameter of `/privacy/:commune`. */
export const PrivacyNoticeParams = z.object({
  /** The commune whose notice to show. */
  commune: CommuneSlug,
});

/** Query of `/privacy/:commune`. */
export const PrivacyNoticeQuery = z
  .object({
    /** Language of the notice; French by default. */
    lang: ContactLocale.default('fr'),
  })
  .strict();

/** Answer of `DELETE /api/reports/:id/contact`. */
export const ContactErased = z.object({
  /** Always null afterwards. */
  contactEmail: z.null(),
  /** Emails that were waiting and will not be sent (0 on a repeated call). */
  emailsCancelled: z.number().int(),
});
export type ContactErased = z.infer<typeof ContactErased>;
