import './stats.css';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../../../server/src/contract/auth';
import {
  DEFAULT_HOTSPOT_CELL as DEFAULT_CELL,
  STATS_INTERVALS,
  type StatsInterval,
} from '../../../../../server/src/contract/stats';
import { fetchMe, request } from '../../api';
import { hrefFor, navigate, useStaffRoute } from '../../route';
import { ExportButtons } from '../history/ExportButtons';
import { filterFromQuery, filterToQuery, type FilterParams } from '../filters';
import { FigureStatus } from './FigureStatus';
import { StatsFilters } from './StatsFilters';
import { fetchSummary } from './statsApi';
import { SummaryFigures } from './SummaryFigures';
import { useFigure } from './useFigure';

const StatsFigures = lazy(() => import('./StatsFigures'));

/** The communes whose statistics the user may read (supervisor or admin there; all for superadmins). */
function useStatsCommunes(): Array<{ slug: string; name: string }> {
  const [communes, setCommunes] = useState<Array<{ slug: string; name: string }>>([]);
  useEffect(() => {
    let live = true;
    const load = async () => {
      const me: MeAnswer | undefined = await fetchMe();
      if (!me) return [];
      if (me.user.superadmin) return request<Array<{ slug: string; name: string }>>('/api/communes');
      const mine = me.roles.filter((r) => r.active && (r.role === 'supervisor' || r.role === 'admin'));
      return mine.map((r) => r.commune).filter((c, i, all) => all.findIndex((o) => o.slug === c.slug) === i);
    };
    load()
      .then((list) => live && setCommunes(list.map((c) => ({ slug: c.slug, name: c.name }))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return communes;
}

/**
 * The town hall's statistics at `/staff/stats?<filter>&interval=&cell=`: headline counts,
 * reports over time, time to fix, open backlog by age, hotspots, and exports of the same list.
 * Every figure links to the history list with the matching filter.
 */
export function StatsScreen() {
  const { t } = useTranslation();
  const route = useStaffRoute();
  const filter = filterFromQuery(route.query);
  const asked = route.query.get('interval');
  const interval: StatsInterval = STATS_INTERVALS.find((i) => i === asked) ?? 'month';
  const cellParam = Number(route.query.get('cell'));
  const cell = Number.isInteger(cellParam) && cellParam >= 25 && cellParam <= 5000 ? cellParam : DEFAULT_CELL;
  const communes = useStatsCommunes();
  const query = filterToQuery(filter).toString();
  const summary = useFigure(query, () => fetchSummary(filter));
  const categories = summary.state === 'ready' ? summary.data.categories : [];

  const go = (f: FilterParams, extra: { interval?: StatsInterval; cell?: number } = {}) => {
    const i = extra.interval ?? interval;
    const c = extra.cell ?? cell;
    navigate(
      hrefFor('stats', {
        query: filterToQuery(f, {
          interval: i === 'month' ? undefined : i,
          cell: c === DEFAULT_CELL ? undefined : String(c),
        }),
      }),
      { replace: true },
    );
  };

  return (
    <section className="staff-wide stats" aria-labelledby="stats-heading">
      <h1 id="stats-heading">{t('stats.heading')}</h1>
      <p>{t('stats.intro')}</p>
      <StatsFilters
        filter={filter}
        interval={interval}
        communes={communes}
        categories={categories}
        onChange={(f) => go(f)}
        onInterval={(i) => go(filter, { interval: i })}
        onReset={() =>
          go(filter.commune ? { commune: filter.commune } : {}, { interval: 'month', cell: DEFAULT_CELL })
        }
      />
      <FigureStatus figure={summary}>
        {(s) =>
          s.total === 0 ? (
            <p className="stats-empty" role="status">
              {t('stats.empty')}
            </p>
          ) : (
            <>
              <SummaryFigures filter={filter} summary={s} />
              <Suspense
                fallback={
                  <p className="stats-loading" role="status">
                    {t('stats.loading')}
                  </p>
                }
              >
                <StatsFigures
                  filter={filter}
                  interval={interval}
                  cell={cell}
                  categories={categories}
                  onCell={(m) => go(filter, { cell: m })}
                />
              </Suspense>
            </>
          )
        }
      </FigureStatus>
      <ExportButtons filter={filter} />
    </section>
  );
}
