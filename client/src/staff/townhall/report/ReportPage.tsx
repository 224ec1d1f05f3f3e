import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { ApiError } from '../../api';
import { PhotoModeration } from './PhotoModeration';
import { ReportActions } from './ReportActions';
import { getStaffReport } from './reportApi';

/**
 * One report as the town hall sees it. Minimal until the history screen's report page lands
 * (photos, timeline, duplicates and nearby reports): the report, its actions and its photos'
 * moderation.
 */
export function ReportPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<StaffReport | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setReport(undefined);
    setError('');
    getStaffReport(id)
      .then((r) => live && setReport(r))
      .catch((err: unknown) => {
        if (!live) return;
        setError(
          err instanceof ApiError && err.status === 404
            ? t('moderation.page.notFound')
            : t('moderation.page.failed', { message: err instanceof Error ? err.message : String(err) }),
        );
      });
    return () => {
      live = false;
    };
  }, [id, t]);
  const onChanged = useCallback((r: StaffReport) => setReport(r), []);

  if (!report)
    return (
      <section className="ra-page" aria-labelledby="report-heading">
        <h1 id="report-heading">{t('nav.history')}</h1>
        <p role={error ? 'alert' : 'status'}>{error || t('moderation.page.loading')}</p>
      </section>
    );
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' });
  return (
    <section className="ra-page" aria-labelledby="report-heading">
      <h1 id="report-heading">
        {i18n.language === 'en' ? report.category.labelEn : report.category.labelFr}
        {report.address ? ` — ${report.address}` : ''}
      </h1>
      <p>
        {t('moderation.reportId', { id: report.id.slice(0, 8) })} ·{' '}
        {t('moderation.page.received', { date: date.format(Date.parse(report.receivedAt)) })} ·{' '}
        {t(`townhall.status.${report.status}`)} · {t(`townhall.priority.${report.priority}`)}
      </p>
      <p>{report.description ?? t('moderation.page.noDescription')}</p>
      <div className="ra-page-grid">
        <ReportActions report={report} onChanged={onChanged} />
        <div className="ra">
          <h2>{t('moderation.page.photos')}</h2>
          {report.photos.map((p) => (
            <PhotoModeration key={p.n} report={report} photo={p} onChanged={onChanged} />
          ))}
        </div>
      </div>
    </section>
  );
}
