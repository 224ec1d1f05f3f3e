import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api';

/** A commune whose settings are shown. */
export interface SettingsCommune {
  id: number;
  slug: string;
  name: string;
}

/** What a person can do about a refused change, in their language. */
export function describeError(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('settings.errors.network');
    const known = t(`settings.errors.${err.code}`, { defaultValue: '' });
    return known || t('settings.errors.other', { message: err.message });
  }
  return t('settings.errors.other', { message: String(err) });
}

/**
 * Loads a section's data for a commune, with loading / failed / ready states and a retry.
 * `reload` fetches again (after a change the server may have normalised).
 */
export function useSectionData<T>(load: () => Promise<T>, key: string) {
  const [data, setData] = useState<T | undefined>();
  const [failed, setFailed] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setFailed(undefined);
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setFailed(e ?? new Error('failed')),
    );
    return () => {
      live = false;
    };
    // `load` closes over the commune, which `key` names: it runs again when the commune changes.
  }, [key, attempt]);
  return { data, setData, failed, reload };
}

/**
 * A section of the settings screen: heading, hint, then its body once loaded (a loading line
 * before, an error with "Try again" if the load failed). Changes report in `notice` (polite)
 * or `error` (an alert a person can act on).
 */
export function Section({
  id,
  title,
  hint,
  loaded,
  failed,
  onRetry,
  notice,
  error,
  children,
}: {
  id: string;
  title: string;
  hint: string;
  loaded: boolean;
  failed: unknown;
  onRetry: () => void;
  notice: string;
  error: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const uid = useId();
  return (
    <section className="staff-settings-section" aria-labelledby={`${uid}-h`} id={id}>
      <h2 id={`${uid}-h`}>{title}</h2>
      <p className="staff-hint">{hint}</p>
      <p role="status" className="staff-notice">
        {notice}
      </p>
      <div role="alert" className={error ? 'staff-error' : 'staff-error-empty'}>
        {error && (
          <>
            <strong>{t('settings.failedHeading')}</strong>
            <p>{error}</p>
          </>
        )}
      </div>
      {failed !== undefined ? (
        <div className="staff-error">
          <p>{t('settings.loadFailed', { message: describeError(t, failed) })}</p>
          <button type="button" className="staff-small-button" onClick={onRetry}>
            {t('settings.retry')}
          </button>
        </div>
      ) : !loaded ? (
        <p>{t('settings.loading')}</p>
      ) : (
        children
      )}
    </section>
  );
}
