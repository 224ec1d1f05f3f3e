import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicReport } from '../../../../../server/src/contract/reports';
import { ApiError } from '../../api';
import { hrefFor, linkProps } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { ExportButtons } from './ExportButtons';
import { fetchCount, fetchPage } from './historyApi';

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; items: PublicReport[]; next: string | null; more: 'idle' | 'loading' | string };

/** A message a person can act on, for an API error. */
export function errorMessage(t: (k: string) => string, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('history.errors.network');
    if (err.status >= 500) return t('history.errors.server');
    if (err.status === 404) return t('history.errors.not_found');
    return err.message;
  }
  return String(err);
}

/**
 * The filtered list, newest first, a page at a time (keyset: "show the next ones" continues
 * exactly where the page ended, however many reports arrive meanwhile), with the filter's
 * count and its exports. Each row opens the report's page.
 */
export function ReportList({ filter }: { filter: FilterParams }) {
  const { t, i18n } = useTranslation();
  const key = filterToQuery(filter).toString();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [count, setCount] = useState<{ count: number; capped: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const pending = useRef<AbortController | null>(null);
  const firstNew = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    pending.current?.abort();
    pending.current = ctrl;
    setLoad({ state: 'loading' });
    setCount(null);
    fetchPage(filter, null, ctrl.signal)
      .then((page) => setLoad({ state: 'ready', items: page.items, next: page.nextCursor, more: 'idle' }))
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setLoad({ state: 'error', message: errorMessage(t, err) });
      });
    fetchCount(filter, ctrl.signal)
      .then(setCount)
      .catch(() => undefined);
    return () => ctrl.abort();
    // `key` is the filter (the object itself may be new on each render).
  }, [key, attempt]);

  // After "show the next ones", keyboard focus goes to the first new row.
  useEffect(() => {
    if (load.state !== 'ready' || !firstNew.current) return;
    const link = list.current?.querySelector<HTMLAnchorElement>(`a[data-id="${firstNew.current}"]`);
    firstNew.current = null;
    link?.focus();
  }, [load]);

  const more = () => {
    if (load.state !== 'ready' || !load.next || load.more === 'loading') return;
    const ctrl = pending.current ?? new AbortController();
    setLoad({ ...load, more: 'loading' });
    fetchPage(filter, load.next, ctrl.signal)
      .then((page) => {
        firstNew.current = page.items[0]?.id ?? null;
        setLoad((l) =>
          l.state === 'ready'
            ? { state: 'ready', items: [...l.items, ...page.items], next: page.nextCursor, more: 'idle' }
            : l,
        );
      })
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setLoad((l) => (l.state === 'ready' ? { ...l, more: errorMessage(t, err) } : l));
      });
  };

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const fr = i18n.language.startsWith('fr');
  return (
    <section className="hs-list" aria-labelledby="hs-list-heading" aria-busy={load.state === 'loading'}>
      <div className="hs-list-head">
        <h2 id="hs-list-heading">{t('history.list.heading')}</h2>
        <p className="hs-count" role="status">
          {count
            ? count.capped
              ? t('history.list.countCapped', { count: count.count })
              : t('history.list.count', { count: count.count })
            : ''}
        </p>
        <ExportButtons filter={filter} />
      </div>
      {load.state === 'loading' && <p className="hs-muted">{t('history.list.loading')}</p>}
      {load.state === 'error' && (
        <div className="hs-error" role="alert">
          <p>{t('history.list.error', { message: load.message })}</p>
          <button type="button" className="hs-button hs-secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('history.list.retry')}
          </button>
        </div>
      )}
      {load.state === 'ready' && load.items.length === 0 && (
        <div className="hs-empty">
          <p>{t('history.list.empty')}</p>
          <p className="hs-muted">{t('history.list.emptyHint')}</p>
        </div>
      )}
      {load.state === 'ready' && load.items.length > 0 && (
        <>
          <ol className="hs-rows" ref={list}>
            {load.items.map((r) => (
              <li key={r.id}>
                <a className="hs-row" data-id={r.id} {...linkProps(hrefFor('report', { id: r.id }))}>
                  {r.photoCount > 0 ? (
                    <img
                      className="hs-thumb"
                      src={`/api/reports/${r.id}/photos/1?size=thumb`}
                      alt=""
                      loading="lazy"
                      width={56}
                      height={56}
                    />
                  ) : (
                    <span className="hs-thumb" aria-hidden="true" />
                  )}
                  <span className="hs-row-text">
                    <span className="hs-row-title">
                      <strong>{fr ? r.category.labelFr : r.category.labelEn}</strong>
                      <span className={`hs-badge hs-status-${r.status}`}>
                        {t(`townhall.status.${r.status}`)}
                      </span>
                      {(r.priority === 'high' || r.priority === 'danger') && (
                        <span className={`hs-badge hs-priority-${r.priority}`}>
                          {t(`townhall.priority.${r.priority}`)}
                        </span>
                      )}
                    </span>
                    <span>
                      {r.address ??
                        t('history.list.noAddress', { lat: r.lat.toFixed(5), lon: r.lon.toFixed(5) })}
                    </span>
                    <span className="hs-muted">
                      {t('history.list.received', { date: date.format(new Date(r.receivedAt)) })}
                      {r.description ? ` · ${r.description}` : ''}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ol>
          {load.next ? (
            <div className="hs-more">
              <button type="button" className="hs-button" onClick={more} disabled={load.more === 'loading'}>
                {load.more === 'loading' ? t('history.list.loadingMore') : t('history.list.more')}
              </button>
              {load.more !== 'idle' && load.more !== 'loading' && (
                <p className="hs-error-text" role="alert">
                  {t('history.list.error', { message: load.more })}
                </p>
              )}
            </div>
          ) : (
            <p className="hs-muted">{t('history.list.end')}</p>
          )}
        </>
      )}
    </section>
  );
}
