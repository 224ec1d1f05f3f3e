import { useTranslation } from 'react-i18next';
import { RELATED_NEARBY_METRES, type RelatedReport } from '../../../../../server/src/contract/history';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { hrefFor, linkProps } from '../../route';

function RelatedLink({ r }: { r: RelatedReport }) {
  const { t, i18n } = useTranslation();
  const fr = i18n.language.startsWith('fr');
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });
  return (
    <a {...linkProps(hrefFor('report', { id: r.id }))}>
      <strong>{fr ? r.category.labelFr : r.category.labelEn}</strong>
      <span className={`hs-badge hs-status-${r.status}`}>{t(`townhall.status.${r.status}`)}</span>
      <span>{r.address ?? t('reportPage.noAddress')}</span>
      <span className="hs-muted">
        {date.format(new Date(r.receivedAt))} ·{' '}
        {t('reportPage.distance', { metres: Math.round(r.distanceMetres) })}
      </span>
    </a>
  );
}

/** The report it duplicates, its duplicates and the reports nearby, each a link to its page. */
export function RelatedReports({ report }: { report: StaffReport }) {
  const { t } = useTranslation();
  const metres = RELATED_NEARBY_METRES;
  return (
    <>
      {report.keptReport && (
        <section className="rp-card" aria-labelledby="rp-kept">
          <h2 id="rp-kept">{t('reportPage.duplicateOf')}</h2>
          <RelatedLink r={report.keptReport} />
        </section>
      )}
      <section className="rp-card" aria-labelledby="rp-duplicates">
        <h2 id="rp-duplicates">{t('reportPage.duplicates', { count: report.duplicates.length })}</h2>
        {report.duplicates.length === 0 ? (
          <p className="hs-muted">{t('reportPage.noDuplicates')}</p>
        ) : (
          <ul className="rp-related">
            {report.duplicates.map((r) => (
              <li key={r.id}>
                <RelatedLink r={r} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="rp-card" aria-labelledby="rp-nearby">
        <h2 id="rp-nearby">{t('reportPage.nearby', { metres })}</h2>
        {report.nearby.length === 0 ? (
          <p className="hs-muted">{t('reportPage.noNearby', { metres })}</p>
        ) : (
          <ul className="rp-related">
            {report.nearby.map((r) => (
              <li key={r.id}>
                <RelatedLink r={r} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
