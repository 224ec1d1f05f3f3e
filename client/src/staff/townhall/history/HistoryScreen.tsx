import './history.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../../../server/src/contract/auth';
import type { CategoryView, CommuneView } from '../../../../../server/src/contract/communes';
import { hrefFor, navigate, useStaffRoute } from '../../route';
import { filterFromQuery, filterToQuery, type FilterParams } from '../filters';
import type { GoTo } from './ClusterMap';
import { FilterForm } from './FilterForm';
import { fetchCategories, fetchCommunes } from './historyApi';
import { LazyClusterMap } from './LazyClusterMap';
import { areaFromParam, type Vertex } from './polygon';
import { rememberHistory } from './remember';
import { ReportList } from './ReportList';
import {
  boundsFromParam,
  boundsToParam,
  viewFromParam,
  viewToParam,
  type Bounds,
  type MapView,
} from './view';

/** The communes the user sees reports of (every commune for a superadmin). */
function communesOf(me: MeAnswer, all: readonly CommuneView[]): CommuneView[] {
  if (me.user.superadmin) return [...all];
  const mine = new Set(me.roles.filter((r) => r.active).map((r) => r.commune.id));
  return all.filter((c) => mine.has(c.id));
}

function boundsOfVertices(vs: readonly Vertex[]): Bounds {
  const lats = vs.map((v) => v.lat);
  const lons = vs.map((v) => v.lon);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/**
 * The town hall's history: the filters, a map of the filtered reports grouped by area, and
 * the filtered list next to it (stacked on a tablet). The address holds the filter and the
 * map's view (`/staff/history?status=new&address=...&view=lat,lon,zoom`): the back button,
 * a bookmark or a link from the statistics opens exactly this list.
 */
export function HistoryScreen({ me }: { me: MeAnswer }) {
  const { t, i18n } = useTranslation();
  const route = useStaffRoute();
  const filterKey = filterToQuery(filterFromQuery(route.query)).toString();
  const filter = useMemo(() => filterFromQuery(new URLSearchParams(filterKey)), [filterKey]);
  const [communes, setCommunes] = useState<CommuneView[] | null>(null);
  const [categories, setCategories] = useState<CategoryView[] | null | 'failed'>(null);
  const [goTo, setGoTo] = useState<GoTo | null>(null);
  // The map's latest view and bounds: kept in the address with every filter change.
  const view = useRef<MapView | null>(viewFromParam(route.query.get('view')));
  const bounds = useRef<Bounds | null>(null);
  const current = useRef(filter);
  current.current = filter;

  useEffect(() => {
    fetchCommunes()
      .then((all) => setCommunes(communesOf(me, all)))
      .catch(() => setCommunes([]));
  }, [me]);

  useEffect(() => rememberHistory(location.pathname + location.search));

  const focus = communes?.find((c) => c.slug === filter.commune) ?? communes?.[0];
  useEffect(() => {
    if (!focus) return;
    let live = true;
    fetchCategories(focus.centroid)
      .then((c) => live && setCategories(c))
      .catch(() => live && setCategories('failed'));
    return () => {
      live = false;
    };
    // The commune is what matters, not the object.
  }, [focus?.slug]);

  const show = useCallback((next: FilterParams) => {
    const extra = view.current ? { view: viewToParam(view.current) } : {};
    navigate(hrefFor('history', { query: filterToQuery(next, extra) }), { replace: true });
  }, []);

  const onFilter = useCallback(
    (next: FilterParams) => {
      if (next.commune !== current.current.commune) {
        const c = communes?.find((x) => x.slug === next.commune);
        if (c) setGoTo({ bounds: c.bbox });
      }
      show(next);
    },
    [communes, show],
  );

  const onView = useCallback(
    (v: MapView, b: Bounds) => {
      view.current = v;
      bounds.current = b;
      const f = current.current;
      show(f.bbox ? { ...f, bbox: boundsToParam(b) } : f);
    },
    [show],
  );

  const onLimitToMap = (on: boolean) => {
    const { bbox: _old, ...rest } = filter;
    show(on && bounds.current ? { ...rest, bbox: boundsToParam(bounds.current) } : rest);
  };
  const onArea = useCallback(
    (area: string | undefined) => {
      const { area: _old, ...rest } = current.current;
      show(area ? { ...rest, area } : rest);
    },
    [show],
  );
  const onPlace = useCallback(
    (at: { lat: number; lon: number }) => setGoTo({ view: { ...at, zoom: 18 } }),
    [],
  );

  const mapFilter = useMemo(() => {
    const { bbox: _b, ...rest } = filter;
    return rest;
  }, [filter]);
  const area = useMemo(() => areaFromParam(filter.area), [filter.area]);

  // Where the map starts, decided once the communes are known: the view of the address, else
  // the filter's rectangle or area, else the commune.
  const start = useMemo(() => {
    if (!communes) return undefined;
    if (view.current) return { view: view.current };
    const b = boundsFromParam(filter.bbox) ?? (area ? boundsOfVertices(area) : null) ?? focus?.bbox ?? null;
    return b ? { bounds: b } : null;
    // Only the first time: afterwards the map is where the person moved it.
  }, [communes === null]);

  const fr = i18n.language.startsWith('fr');
  const choices =
    categories === 'failed'
      ? null
      : (categories ?? []).map((c) => ({ value: c.code, label: fr ? c.labelFr : c.labelEn }));

  return (
    <section className="hs" aria-labelledby="history-heading">
      <div className="hs-head">
        <h1 id="history-heading">{t('history.heading')}</h1>
      </div>
      <FilterForm
        filter={filter}
        onChange={onFilter}
        communes={communes ?? []}
        addressCommune={focus?.slug}
        categories={choices}
        limitToMap={Boolean(filter.bbox)}
        onLimitToMap={onLimitToMap}
        onPlace={onPlace}
      />
      <div className="hs-layout">
        {start === undefined ? (
          <div className="hs-map-pane hs-map-placeholder" aria-hidden="true" />
        ) : (
          <LazyClusterMap
            filter={mapFilter}
            start={start}
            goTo={goTo}
            area={area}
            onArea={onArea}
            onView={onView}
          />
        )}
        <ReportList filter={filter} />
      </div>
    </section>
  );
}
