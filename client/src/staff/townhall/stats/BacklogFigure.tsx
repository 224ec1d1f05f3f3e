import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { BACKLOG_BUCKETS, type StatsCategory } from '../../../../../server/src/contract/stats';
import { hrefFor, linkProps, navigate } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { BarChart } from './BarChart';
import { categoryColour } from './colours';
import { FigureStatus } from './FigureStatus';
import { categoryLabel, formatCount } from './format';
import { backlogFilter } from './links';
import { fetchBacklog } from './statsApi';
import { useFigure } from './useFigure';

/** Open reports by age bucket, stacked by category; each bar, segment and cell opens its list. */
export function BacklogFigure({
  filter,
  categories,
}: {
  filter: FilterParams;
  categories: readonly StatsCategory[];
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const lang = i18n.language;
  const figure = useFigure(filterToQuery(filter).toString(), () => fetchBacklog(filter));

  return (
    <section className="stats-figure" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('stats.backlog.heading')}</h2>
      <FigureStatus figure={figure}>
        {(data) => {
          if (data.open === 0) return <p className="stats-empty">{t('stats.backlog.empty')}</p>;
          const codes = categories.map((c) => c.code).filter((c) => data.rows.some((r) => r.category === c));
          for (const r of data.rows) if (!codes.includes(r.category)) codes.push(r.category);
          const count = (bucket: string, code?: string) =>
            data.rows
              .filter((r) => r.bucket === bucket && (code === undefined || r.category === code))
              .reduce((n, r) => n + r.count, 0);
          const href = (b: (typeof BACKLOG_BUCKETS)[number], code?: string) =>
            hrefFor('history', { query: filterToQuery(backlogFilter(filter, b, data.today, code)) });
          const cell = (b: (typeof BACKLOG_BUCKETS)[number], code?: string) => {
            const n = count(b.key, code);
            return n > 0 ? <a {...linkProps(href(b, code))}>{formatCount(n, lang)}</a> : '0';
          };
          return (
            <>
              <BarChart
                stacked
                labels={BACKLOG_BUCKETS.map((b) => t(`stats.backlog.bucket_${b.key}`))}
                series={codes.map((code) => ({
                  label: categoryLabel(code, categories, lang),
                  data: BACKLOG_BUCKETS.map((b) => count(b.key, code)),
                  colour: categoryColour(code, categories),
                }))}
                label={t('stats.backlog.chart')}
                onSelect={(s, i) => navigate(href(BACKLOG_BUCKETS[i]!, codes[s]))}
              />
              {data.medianAgeDays !== null && (
                <p>
                  {t('stats.backlog.median', {
                    days: formatCount(Math.round(data.medianAgeDays * 10) / 10, lang),
                    max: formatCount(data.maxAgeDays ?? 0, lang),
                  })}
                </p>
              )}
              <details className="stats-details">
                <summary>{t('stats.backlog.showTable')}</summary>
                <div className="stats-table-wrap">
                  <table className="stats-table">
                    <caption>{t('stats.backlog.heading')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('stats.backlog.age')}</th>
                        {codes.map((code) => (
                          <th scope="col" key={code}>
                            {categoryLabel(code, categories, lang)}
                          </th>
                        ))}
                        <th scope="col">{t('stats.backlog.total')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {BACKLOG_BUCKETS.map((b) => (
                        <tr key={b.key}>
                          <th scope="row">{t(`stats.backlog.bucket_${b.key}`)}</th>
                          {codes.map((code) => (
                            <td key={code}>{cell(b, code)}</td>
                          ))}
                          <td>{cell(b)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          );
        }}
      </FigureStatus>
    </section>
  );
}
