import type { TFunction } from 'i18next';
import type { SyncError } from '../offline/outbox.machine';

const KNOWN = new Set(['outside_communes', 'unknown_category', 'report_id_conflict', 'photo_required']);

/** A sentence a person can act on, for the last failure of a queued report. */
export function describeSyncError(t: TFunction, error: SyncError): string {
  if (error.status === undefined) return t('mine.networkError');
  if (error.status >= 500 || error.status === 408 || error.status === 429) {
    return t('mine.serverError', { status: error.status });
  }
  if (error.code && KNOWN.has(error.code)) return t(`mine.errors.${error.code}`);
  return t('mine.errors.generic', { status: error.status, message: error.message ?? '' });
}
