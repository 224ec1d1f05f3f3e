import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_STATUSES, type ReportStatus } from '../../../../../server/src/contract/common';
import type { StatsCategory, StatsInterval, TimelineAnswer } from '../../../../../server/src/contract/stats';
import { hrefFor, linkProps, navigate } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { BarChart, type BarSeries } from './BarChart';
import { categoryColour, STATUS_COLOURS } from './colours';
import { FigureStatus } from './FigureStatus';
import { categoryLabel, formatCount, formatPeriod } from './format';
import { periodFilter } from './links';
import { fetchTimeline } from './statsApi';
import { useFigure } from './useFigure';

type By = 'status' | 'category';

/** One column of the figure: a status or a category, with its counts per period. */
interface Column {
  key: string;
  label: string;
  colour: string;
  counts: number[];
}

function columns(
  t: TimelineAnswer,
  by: By,
  categories: readonly StatsCategory[],
  label: (s: ReportStatus) => string,
  lang: string,
): Column[] {
  const index = new Map(t.periods.map((p, i) => [p, i]));
  const keys =
    by === 'status'
      ? REPORT_STATUSES.filter((s) => t.rows.some((r) => r.status === s))
      : [...new Set(t.rows.map((r) => r.category))].sort(
          (a, b) => categories.findIndex((c) => c.code === a) - categories.findIndex((c) => c.code === b),
        );
  return keys.map((key) => {
    const counts = t.periods.map(() => 0);
    for (const r of t.rows) {
      if ((by === 'status' ? r.status : r.category) !== key) continue;
      const i = index.get(r.period);
      if (i !== undefined) counts[i]! += r.count;
    }
    return {
      key,
      label: by === 'status' ? label(key as ReportStatus) : categoryLabel(key, categories, lang),
      colour: by === 'status' ? STATUS_COLOURS[key as ReportStatus] : categoryColour(key, categories),
      counts,
    };
  });
}

/** Reports received per period, stacked by status or by category; every bar and cell opens its list. */
export function TimelineFigure({
  filter,
  interval,
  categories,
}: {
  filter: FilterParams;
  interval: StatsInterval;
  categories: readonly StatsCategory[];
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [by, setBy] = useState<By>('status');
  const query = filterToQuery(filter, { interval }).toString();
  const figure = useFigure(query, () => fetchTimeline(filter, interval));
  const lang = i18n.language;
  const statusLabel = (s: ReportStatus) => t(`townhall.status.${s}`);
  const periodLabel = (p: string) => formatPeriod(p, interval, lang, t('stats.timeline.weekOf'));

  const linkFor = (period: string, column: Column | undefined) =>
    hrefFor('history', {
      query: filterToQuery(
        periodFilter(
          filter,
          period,
          interval,
          by === 'category' ? column?.key : undefined,
          by === 'status' ? (column?.key as ReportStatus | undefined) : undefined,
        ),
      ),
    });

  const cols = useMemo(
    () => (figure.state === 'ready' ? columns(figure.data, by, categories, statusLabel, lang) : []),
    [figure, by, categories, lang, t],
  );

  return (
    <section className="stats-figure" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('stats.timeline.heading')}</h2>
      <fieldset className="stats-toggle">
        <legend>{t('stats.timeline.by')}</legend>
        {(['status', 'category'] as const).map((b) => (
          <label key={b}>
            <input type="radio" name={`${id}-by`} checked={by === b} onChange={() => setBy(b)} />
            {t(b === 'status' ? 'stats.timeline.byStatus' : 'stats.timeline.byCategory')}
          </label>
        ))}
      </fieldset>
      <FigureStatus figure={figure}>
        {(data) => {
          if (data.periods.length === 0 || data.rows.length === 0)
            return <p className="stats-empty">{t('stats.timeline.empty')}</p>;
          const series: BarSeries[] = cols.map((c) => ({ label: c.label, data: c.counts, colour: c.colour }));
          const totals = data.periods.map((_, i) => cols.reduce((n, c) => n + c.counts[i]!, 0));
          return (
            <>
              <BarChart
                labels={data.periods.map(periodLabel)}
                series={series}
                stacked
                label={t('stats.timeline.chart', {
                  interval: t(`stats.filters.${interval}`).toLowerCase(),
                  by: t(by === 'status' ? 'stats.timeline.byStatus' : 'stats.timeline.byCategory'),
                })}
                onSelect={(s, i) => navigate(linkFor(data.periods[i]!, cols[s]))}
              />
              <details className="stats-details">
                <summary>{t('stats.timeline.showTable')}</summary>
                <div className="stats-table-wrap">
                  <table className="stats-table">
                    <caption>{t('stats.timeline.table')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('stats.timeline.period')}</th>
                        {cols.map((c) => (
                          <th scope="col" key={c.key}>
                            {c.label}
                          </th>
                        ))}
                        <th scope="col">{t('stats.timeline.total')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.periods.map((p, i) => (
                        <tr key={p}>
                          <th scope="row">{periodLabel(p)}</th>
                          {cols.map((c) => (
                            <td key={c.key}>
                              {c.counts[i] ? (
                                <a {...linkProps(linkFor(p, c))}>{formatCount(c.counts[i]!, lang)}</a>
                              ) : (
                                '0'
                              )}
                            </td>
                          ))}
                          <td>
                            {totals[i] ? (
                              <a {...linkProps(linkFor(p, undefined))}>{formatCount(totals[i]!, lang)}</a>
                            ) : (
                              '0'
                            )}
                          </td>
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
