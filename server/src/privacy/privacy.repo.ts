import type { Queryable } from '../db';

/** What a commune's privacy notice and its retention job read. */
export interface CommunePrivacy {
  id: number;
  slug: string;
  name: string;
  timezone: string;
  photosPublic: boolean;
  contactRetentionMonths: number;
  locationRetentionYears: number;
  privacyContact: string | null;
}

interface CommunePrivacyRow {
  id: number;
  slug: string;
  name: string;
  timezone: string;
  photos_public: boolean;
  contact_retention_months: number;
  location_retention_years: number;
  privacy_contact: string | null;
}

const SELECT_PRIVACY = `SELECT id, slug, name, timezone, photos_public, contact_retention_months,
                               location_retention_years, privacy_contact FROM communes`;

function toPrivacy(r: CommunePrivacyRow): CommunePrivacy {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    timezone: r.timezone,
    photosPublic: r.photos_public,
    contactRetentionMonths: r.contact_retention_months,
    locationRetentionYears: r.location_retention_years,
    privacyContact: r.privacy_contact,
  };
}

/** A commune's privacy settings by slug. */
export async function findCommunePrivacy(db: Queryable, slug: string): Promise<CommunePrivacy | undefined> {
  const { rows } = await db.query<CommunePrivacyRow>(`${SELECT_PRIVACY} WHERE slug = $1`, [slug]);
  return rows[0] && toPrivacy(rows[0]);
}

/** Every commune's privacy settings (the retention job runs over all of them), by id. */
export async function listCommunePrivacy(db: Queryable): Promise<CommunePrivacy[]> {
  const { rows } = await db.query<CommunePrivacyRow>(`${SELECT_PRIVACY} ORDER BY id`);
  return rows.map(toPrivacy);
}

/** A commune's privacy settings, locked until the end of the transaction (settings changes). */
export async function lockCommunePrivacy(db: Queryable, id: number): Promise<CommunePrivacy | undefined> {
  const { rows } = await db.query<CommunePrivacyRow>(`${SELECT_PRIVACY} WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toPrivacy(rows[0]);
}

/** The privacy settings an admin may change (absent: unchanged). */
export interface PrivacySettingsPatch {
  photosPublic?: boolean | undefined;
  contactRetentionMonths?: number | undefined;
  locationRetentionYears?: number | undefined;
  privacyContact?: string | null | undefined;
}

/** Applies a partial change of a commune's privacy settings. */
export async function updateCommunePrivacy(
  db: Queryable,
  id: number,
  p: PrivacySettingsPatch,
): Promise<void> {
  await db.query(
    `UPDATE communes
        SET photos_public = coalesce($2, photos_public),
            contact_retention_months = coalesce($3, contact_retention_months),
            location_retention_years = coalesce($4, location_retention_years),
            privacy_contact = CASE WHEN $5 THEN $6 ELSE privacy_contact END
      WHERE id = $1`,
    [
      id,
      p.photosPublic ?? null,
      p.contactRetentionMonths ?? null,
      p.locationRetentionYears ?? null,
      p.privacyContact !== undefined,
      p.privacyContact ?? null,
    ],
  );
}

/** The owner and contact facts of a report, locked for an erasure. */
export async function lockReportContact(
  db: Queryable,
  reportId: string,
): Promise<{ communeId: number; reporterTokenHash: Buffer; contactEmail: string | null } | undefined> {
  const { rows } = await db.query<{
    commune_id: number;
    reporter_token_hash: Buffer;
    contact_email: string | null;
  }>('SELECT commune_id, reporter_token_hash, contact_email FROM reports WHERE id = $1 FOR UPDATE', [
    reportId,
  ]);
  const r = rows[0];
  return (
    r && { communeId: r.commune_id, reporterTokenHash: r.reporter_token_hash, contactEmail: r.contact_email }
  );
}

/** What erasing a report's contact data removed. */
export interface ContactErasure {
  /** Reports that had a contact email, a language or an unsubscription on them. */
  contactsRemoved: number;
  /** Emails not sent yet (queued or failed) that are now dropped. */
  emailsCancelled: number;
  /** Sent emails' rows (they named the report, not the address). */
  emailsDeleted: number;
  tokensDeleted: number;
}

/**
 * Removes everything that ties a report to its resident's email: the address and language,
 * the unsubscription, every email row (queued ones will never be sent) and every unsubscribe
 * token. Used by the resident's erasure and by the retention job, so both remove the same.
 */
export async function eraseContact(db: Queryable, reportIds: readonly string[]): Promise<ContactErasure> {
  const { rows } = await db.query<{ contacts: number; cancelled: number; sent: number; tokens: number }>(
    `WITH c AS (
       UPDATE reports SET contact_email = NULL, contact_locale = NULL, notifications_stopped_at = NULL
        WHERE id = ANY($1::uuid[])
          AND (contact_email IS NOT NULL OR contact_locale IS NOT NULL OR notifications_stopped_at IS NOT NULL)
       RETURNING id),
     o AS (DELETE FROM email_outbox WHERE report_id = ANY($1::uuid[]) RETURNING status),
     t AS (DELETE FROM email_unsubscribe_tokens WHERE report_id = ANY($1::uuid[]) RETURNING 1)
     SELECT (SELECT count(*) FROM c)::int AS contacts,
            (SELECT count(*) FROM o WHERE status <> 'sent')::int AS cancelled,
            (SELECT count(*) FROM o WHERE status = 'sent')::int AS sent,
            (SELECT count(*) FROM t)::int AS tokens`,
    [reportIds],
  );
  const r = rows[0]!;
  return {
    contactsRemoved: r.contacts,
    emailsCancelled: r.cancelled,
    emailsDeleted: r.sent,
    tokensDeleted: r.tokens,
  };
}
