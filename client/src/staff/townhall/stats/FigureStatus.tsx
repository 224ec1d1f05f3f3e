import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { FigureState } from './useFigure';

/** Loading, error (with what to do and a retry) or the figure itself. */
export function FigureStatus<T>({
  figure,
  children,
}: {
  figure: FigureState<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (figure.state === 'loading')
    return (
      <p className="stats-loading" role="status">
        {t('stats.loading')}
      </p>
    );
  if (figure.state === 'error') {
    const e = figure.error;
    const message =
      e instanceof ApiError && e.code === 'network'
        ? t('errors.network')
        : e instanceof ApiError && e.status === 403
          ? t('stats.forbidden')
          : t('stats.error', { message: e instanceof ApiError ? e.message : String(e) });
    return (
      <div className="stats-error" role="alert">
        <p>{message}</p>
        <button type="button" className="staff-small-button" onClick={figure.retry}>
          {t('stats.retry')}
        </button>
      </div>
    );
  }
  return <>{children(figure.data)}</>;
}
