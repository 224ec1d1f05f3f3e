import { useTranslation } from 'react-i18next';
import type { SummaryAnswer } from '../../../../../server/src/contract/stats';
import { hrefFor, linkProps } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { formatCount } from './format';
import { statusFilter } from './links';

/** The headline counts of the filter, each a link to its list. */
export function SummaryFigures({ filter, summary }: { filter: FilterParams; summary: SummaryAnswer }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const figures: Array<{ key: string; value: number; filter: FilterParams }> = [
    { key: 'total', value: summary.total, filter },
    { key: 'open', value: summary.open, filter: statusFilter(filter, 'open') },
    { key: 'closed', value: summary.closed, filter: statusFilter(filter, 'closed') },
    { key: 'fixed', value: summary.byStatus.fixed, filter: statusFilter(filter, 'fixed') },
  ];
  return (
    <section aria-labelledby="stats-summary-h" className="stats-summary">
      <h2 id="stats-summary-h">{t('stats.summary.heading')}</h2>
      <ul>
        {figures.map((f) => (
          <li key={f.key}>
            <a
              {...linkProps(hrefFor('history', { query: filterToQuery(f.filter) }))}
              title={t('stats.openList', { count: f.value })}
            >
              <span className="stats-summary-value">{formatCount(f.value, lang)}</span>
              <span className="stats-summary-label">{t(`stats.summary.${f.key}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
