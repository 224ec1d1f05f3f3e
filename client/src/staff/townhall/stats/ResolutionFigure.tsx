import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResolutionRow, StatsCategory } from '../../../../../server/src/contract/stats';
import { hrefFor, linkProps, navigate } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { BarChart } from './BarChart';
import { FigureStatus } from './FigureStatus';
import { categoryLabel, formatCount, formatDays } from './format';
import { resolutionFilter } from './links';
import { fetchResolution } from './statsApi';
import { useFigure } from './useFigure';

/** Median and 90th percentile time to fix per category (chart), with time to close (table). */
export function ResolutionFigure({
  filter,
  categories,
}: {
  filter: FilterParams;
  categories: readonly StatsCategory[];
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const lang = i18n.language;
  const figure = useFigure(filterToQuery(filter).toString(), () => fetchResolution(filter));
  const href = (category: string | undefined, which: 'fixed' | 'closed') =>
    hrefFor('history', { query: filterToQuery(resolutionFilter(filter, category, which)) });
  const name = (r: ResolutionRow) =>
    r.category === null ? t('stats.resolution.all') : categoryLabel(r.category, categories, lang);
  const count = (r: ResolutionRow, which: 'fixed' | 'closed') => {
    const n = which === 'fixed' ? r.fixed : r.closed;
    return n > 0 ? <a {...linkProps(href(r.category ?? undefined, which))}>{formatCount(n, lang)}</a> : '0';
  };

  return (
    <section className="stats-figure stats-wide-figure" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('stats.resolution.heading')}</h2>
      <FigureStatus figure={figure}>
        {(data) => {
          const all = data.rows.find((r) => r.category === null);
          if (!all || all.closed === 0) return <p className="stats-empty">{t('stats.resolution.empty')}</p>;
          const fixed = data.rows.filter((r) => r.category !== null && r.fixed > 0);
          return (
            <>
              {fixed.length > 0 && (
                <BarChart
                  horizontal
                  height={Math.max(160, 60 + fixed.length * 44)}
                  labels={fixed.map(name)}
                  series={[
                    {
                      label: t('stats.resolution.median'),
                      data: fixed.map((r) => (r.fixMedianHours ?? 0) / 24),
                      colour: '#0072b2',
                    },
                    {
                      label: t('stats.resolution.p90'),
                      data: fixed.map((r) => (r.fixP90Hours ?? 0) / 24),
                      colour: '#e69f00',
                    },
                  ]}
                  format={(v) => `${formatDays(v * 24, lang)} ${t('stats.resolution.days')}`}
                  label={t('stats.resolution.chart')}
                  onSelect={(_s, i) => navigate(href(fixed[i]!.category!, 'fixed'))}
                />
              )}
              <div className="stats-table-wrap">
                <table className="stats-table">
                  <caption>
                    {t('stats.resolution.heading')} ({t('stats.resolution.days')})
                  </caption>
                  <thead>
                    <tr>
                      <td />
                      <th scope="colgroup" colSpan={3}>
                        {t('stats.resolution.fixGroup')}
                      </th>
                      <th scope="colgroup" colSpan={3}>
                        {t('stats.resolution.closeGroup')}
                      </th>
                    </tr>
                    <tr>
                      <th scope="col">{t('stats.resolution.category')}</th>
                      <th scope="col">{t('stats.resolution.fixed')}</th>
                      <th scope="col">{t('stats.resolution.median')}</th>
                      <th scope="col">{t('stats.resolution.p90')}</th>
                      <th scope="col">{t('stats.resolution.closed')}</th>
                      <th scope="col">{t('stats.resolution.median')}</th>
                      <th scope="col">{t('stats.resolution.p90')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => (
                      <tr
                        key={r.category ?? ''}
                        className={r.category === null ? 'stats-total-row' : undefined}
                      >
                        <th scope="row">{name(r)}</th>
                        <td>{count(r, 'fixed')}</td>
                        <td>{formatDays(r.fixMedianHours, lang)}</td>
                        <td>{formatDays(r.fixP90Hours, lang)}</td>
                        <td>{count(r, 'closed')}</td>
                        <td>{formatDays(r.closeMedianHours, lang)}</td>
                        <td>{formatDays(r.closeP90Hours, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="stats-note">{t('stats.resolution.note')}</p>
            </>
          );
        }}
      </FigureStatus>
    </section>
  );
}
