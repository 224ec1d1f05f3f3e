import '../history/history.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { ApiError, request } from '../../api';
import { linkProps } from '../../route';
import { lastHistoryHref } from '../history/remember';
import { errorMessage } from '../history/ReportList';
import { LazyReportMap } from './LazyReportMap';
import { PhotoGallery } from './PhotoGallery';
import { RelatedReports } from './RelatedReports';
import { ReportActions } from './ReportActions';
import { Timeline } from './Timeline';

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'error'; message: string };

/**
 * One report as the town hall sees it: what, where and when, its photos (full size on click),
 * a small map, its whole history with the internal entries marked, the report it duplicates,
 * its duplicates and the reports nearby, the reporter's email for those allowed to see it, and
 * what staff can do with it (ReportActions, PhotoModeration).
 */
export function ReportPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<StaffReport | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    window.scrollTo(0, 0);
    setReport(null);
    setLoad({ state: 'loading' });
    request<StaffReport>(`/api/staff/reports/${encodeURIComponent(id)}`, { signal: ctrl.signal })
      .then(setReport)
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) setLoad({ state: 'missing' });
        else setLoad({ state: 'error', message: errorMessage(t, err) });
      });
    return () => ctrl.abort();
  }, [id, attempt, t]);

  const fr = i18n.language.startsWith('fr');
  const back = (
    <p>
      <a {...linkProps(lastHistoryHref())}>← {t('reportPage.back')}</a>
    </p>
  );
  if (!report) {
    return (
      <section className="rp" aria-labelledby="report-heading" aria-busy={load.state === 'loading'}>
        {back}
        <h1 id="report-heading">{t('nav.history')}</h1>
        {load.state === 'loading' && <p className="hs-muted">{t('reportPage.loading')}</p>}
        {load.state === 'missing' && (
          <p className="hs-error" role="alert">
            {t('reportPage.notFound')}
          </p>
        )}
        {load.state === 'error' && (
          <div className="hs-error" role="alert">
            <p>{t('reportPage.error', { message: load.message })}</p>
            <button type="button" className="hs-button hs-secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t('reportPage.retry')}
            </button>
          </div>
        )}
      </section>
    );
  }

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' });
  const category = fr ? report.category.labelFr : report.category.labelEn;
  return (
    <section className="rp" aria-labelledby="report-heading">
      {back}
      <div className="rp-head">
        <h1 id="report-heading">
          {t('reportPage.title', { category, place: report.address ?? t('reportPage.noAddress') })}
        </h1>
        <span className={`hs-badge hs-status-${report.status}`}>{t(`townhall.status.${report.status}`)}</span>
        <span className={`hs-badge hs-priority-${report.priority}`}>
          {t(`townhall.priority.${report.priority}`)}
        </span>
      </div>
      <div className="rp-layout">
        <div>
          <section className="rp-card" aria-labelledby="rp-facts">
            <h2 id="rp-facts">{t('reportPage.facts')}</h2>
            <dl className="rp-facts">
              <dt>{t('reportPage.number')}</dt>
              <dd>
                <code>{report.id}</code>
              </dd>
              <dt>{t('reportPage.commune')}</dt>
              <dd>{report.commune.name}</dd>
              <dt>{t('reportPage.received')}</dt>
              <dd>{date.format(new Date(report.receivedAt))}</dd>
              <dt>{t('reportPage.captured')}</dt>
              <dd>{date.format(new Date(report.capturedAt))}</dd>
              <dt>{t('reportPage.updated')}</dt>
              <dd>{date.format(new Date(report.updatedAt))}</dd>
              <dt>{t('reportPage.location')}</dt>
              <dd>
                {t('reportPage.locationValue', {
                  lat: report.lat.toFixed(6),
                  lon: report.lon.toFixed(6),
                  accuracy: Math.round(report.accuracy),
                  source: t(`reportPage.source.${report.locationSource}`),
                })}
              </dd>
              <dt>{t('reportPage.description')}</dt>
              <dd>{report.description ?? t('reportPage.noDescription')}</dd>
              {'contactEmail' in report && (
                <>
                  <dt>{t('reportPage.contact')}</dt>
                  <dd>
                    {report.contactEmail ? (
                      <a href={`mailto:${report.contactEmail}`}>{report.contactEmail}</a>
                    ) : (
                      t('reportPage.noContact')
                    )}
                  </dd>
                </>
              )}
            </dl>
          </section>
          <ReportActions report={report} onChanged={setReport} />
          <PhotoGallery report={report} onChanged={setReport} />
          <Timeline history={report.history} />
        </div>
        <div>
          <div className="rp-card rp-map">
            <LazyReportMap
              lat={report.lat}
              lon={report.lon}
              accuracy={report.accuracy}
              label={t('reportPage.map')}
            />
          </div>
          <RelatedReports report={report} />
        </div>
      </div>
    </section>
  );
}
