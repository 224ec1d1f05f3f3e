import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { ContactErased } from '../contract/privacy';
import type { CommuneSettingsBody } from '../contract/staff';
import { withTransaction } from '../db';
import { NotFoundError, ValidationError } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { hashToken } from '../reports/reports.service';
import { setRequireAdminTotp } from '../users/users.repo';
import type { Actor } from '../users/users.service';
import * as repo from './privacy.repo';

const reportNotFound = () => NotFoundError('report_not_found', 'Report not found.');

function sameOwner(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * A resident erases their contact data from one of their reports ("my reports"): the email
 * address and language, every email queued or sent about it and every unsubscribe link.
 * Only the device holding the report's reporter token may; anyone else gets the 404 of a
 * missing report. Idempotent: a second call erases nothing and answers the same. Audited
 * (without the address, and without the client's IP: the resident's rights leave no trace of them).
 */
export async function eraseOwnContact(
  pool: Pool,
  reportId: string,
  token: string,
  requestId: string | null,
): Promise<ContactErased> {
  return withTransaction(pool, async (tx) => {
    const report = await repo.lockReportContact(tx, reportId);
    if (!report || !sameOwner(report.reporterTokenHash, hashToken(token))) throw reportNotFound();
    const erased = await repo.eraseContact(tx, [reportId]);
    if (erased.contactsRemoved > 0 || erased.emailsCancelled > 0 || erased.tokensDeleted > 0)
      await insertAudit(tx, {
        actorKind: 'reporter',
        actorUserId: null,
        communeId: report.communeId,
        action: 'contact_erased',
        outcome: 'success',
        objectType: 'report',
        objectId: reportId,
        requestId,
        ip: null,
        data: {
          emailsCancelled: erased.emailsCancelled,
          emailsDeleted: erased.emailsDeleted,
          tokensDeleted: erased.tokensDeleted,
        },
      });
    return { contactEmail: null, emailsCancelled: erased.emailsCancelled };
  });
}

/**
 * Changes a commune's settings (only those sent), in one transaction, audited with what
 * changed. The location is never kept for less time than the contact email: checked against
 * the stored value when only one of the two periods is sent.
 */
export async function updateCommuneSettings(
  pool: Pool,
  actor: Actor,
  communeId: number,
  body: CommuneSettingsBody,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const current = await repo.lockCommunePrivacy(tx, communeId);
    if (!current) throw NotFoundError();
    const months = body.contactRetentionMonths ?? current.contactRetentionMonths;
    const years = body.locationRetentionYears ?? current.locationRetentionYears;
    if (years * 12 < months)
      throw ValidationError(
        `The location cannot be kept for less time than the contact email (${months} months).`,
        body.locationRetentionYears !== undefined ? 'locationRetentionYears' : 'contactRetentionMonths',
        'retention_order',
      );
    if (body.requireAdminTotp !== undefined) await setRequireAdminTotp(tx, communeId, body.requireAdminTotp);
    const privacyContact = body.privacyContact === undefined ? undefined : body.privacyContact || null;
    await repo.updateCommunePrivacy(tx, communeId, {
      photosPublic: body.photosPublic,
      contactRetentionMonths: body.contactRetentionMonths,
      locationRetentionYears: body.locationRetentionYears,
      privacyContact,
    });
    await insertAudit(tx, {
      ...actor,
      action: 'settings_changed',
      outcome: 'success',
      communeId,
      objectType: 'commune',
      objectId: String(communeId),
      data: { ...body, ...(privacyContact !== undefined ? { privacyContact } : {}) },
    });
  });
}
