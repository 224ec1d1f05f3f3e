import type { TFunction } from 'i18next';
import { ApiError } from '../../api';
import { fr } from './moderationLocales';

const KNOWN = new Set(Object.keys(fr.errors));

/**
 * What to tell a person when an action failed: the server's error code turned into a sentence
 * saying what to do next ("this report is closed: reopen it first"), the server's own message
 * for anything unforeseen.
 */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    if (KNOWN.has(err.code) && err.code !== 'other')
      return t(`moderation.errors.${err.code}`, { message: err.message });
    if (err.status >= 500) return t('moderation.errors.server');
    return t('moderation.errors.other', { message: err.message });
  }
  return t('moderation.errors.other', { message: err instanceof Error ? err.message : String(err) });
}
