import 'leaflet/dist/leaflet.css';
import '../../../map/map.css';
import L from 'leaflet';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AttributionControl,
  MapContainer,
  TileLayer,
  useMap,
  useMapEvents,
  ZoomControl,
} from 'react-leaflet';
import type { ClusterCell } from '../../../../../server/src/contract/history';
import type { TileConfig } from '../../../api/api';
import { attributionFor, FRANCE } from '../../../map/tiles';
import { hrefFor, navigate } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { fetchClusters, fetchTiles } from './historyApi';
import { errorMessage } from './ReportList';
import { areaToParam, canFinish, IDLE, polygonReducer, type PolygonState, type Vertex } from './polygon';
import {
  boundsToParam,
  clusterSize,
  MAX_ZOOM,
  MIN_ZOOM,
  shortCount,
  type Bounds,
  type MapView,
} from './view';

/** Where the map goes, asked from outside; a new object each time (an address picked, a commune chosen). */
export interface GoTo {
  view?: MapView;
  bounds?: Bounds;
}

/** Props of the history map. */
export interface ClusterMapProps {
  /** The list's filter, without its bbox (the map's viewport is the bbox of its clusters). */
  filter: FilterParams;
  /** The first view (from the address), else bounds to fit (a commune, a filter rectangle). */
  start: { view: MapView } | { bounds: Bounds } | null;
  goTo: GoTo | null;
  /** The area of the filter (drawn earlier, or from a link). */
  area: Vertex[] | null;
  onArea: (area: string | undefined) => void;
  /** The map moved (after the move): its view and bounds. */
  onView: (view: MapView, bounds: Bounds) => void;
}

/** Wait this long after the map stops before asking for clusters (a drag, several zoom clicks). */
const DEBOUNCE_MS = 200;

const toBounds = (b: L.LatLngBounds): Bounds => [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
const toLatLngBounds = (b: Bounds) => L.latLngBounds([b[1], b[0]], [b[3], b[2]]);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Map events: moves reported to the parent, clicks add vertices while drawing, the map labelled. */
function Behaviour({
  label,
  drawing,
  onMoved,
  onAdd,
  goTo,
}: {
  label: string;
  drawing: boolean;
  onMoved: (view: MapView, bounds: Bounds) => void;
  onAdd: (v: Vertex) => void;
  goTo: GoTo | null;
}) {
  const map = useMap();
  const moved = useRef(onMoved);
  moved.current = onMoved;
  const report = () => {
    const c = map.getCenter();
    moved.current({ lat: c.lat, lon: c.lng, zoom: map.getZoom() }, toBounds(map.getBounds()));
  };
  useMapEvents({
    moveend: report,
    click: (e) => {
      if (drawing) onAdd({ lat: e.latlng.lat, lon: e.latlng.lng });
    },
  });
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  // The first view counts as a move: the clusters load and the address gets the view.
  useEffect(() => {
    report();
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(map.getContainer());
    return () => observer.disconnect();
    // Once, at mount.
  }, [map]);
  // While drawing, a double click adds a vertex rather than zooming.
  useEffect(() => {
    if (drawing) map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }, [map, drawing]);
  useEffect(() => {
    if (!goTo) return;
    if (goTo.view) map.setView([goTo.view.lat, goTo.view.lon], goTo.view.zoom);
    else if (goTo.bounds) map.fitBounds(toLatLngBounds(goTo.bounds), { padding: [16, 16], maxZoom: 17 });
  }, [map, goTo]);
  return null;
}

/**
 * The cluster markers, drawn by hand in one layer group: at most a few hundred (the server's
 * cells), never one per report; rebuilt when an answer arrives.
 */
function Clusters({
  cells,
  lang,
  titles,
}: {
  cells: ClusterCell[];
  lang: string;
  titles: (c: ClusterCell) => string;
}) {
  const map = useMap();
  const layer = useMemo(() => L.layerGroup(), []);
  useEffect(() => {
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, layer]);
  useEffect(() => {
    layer.clearLayers();
    for (const c of cells) {
      const single = c.report;
      const icon = single
        ? L.divIcon({
            className: 'hs-marker',
            html: `<span class="hs-dot hs-dot-${single.status}" aria-hidden="true"></span>`,
            iconSize: [22, 22],
            iconAnchor: [11, 11],
          })
        : L.divIcon({
            className: 'hs-marker',
            html: `<span class="hs-cluster hs-cluster-${clusterSize(c.count)}" aria-hidden="true">${escapeHtml(shortCount(c.count, lang))}</span>`,
            iconSize: [44, 44],
            iconAnchor: [22, 22],
          });
      const marker = L.marker([c.lat, c.lon], { icon, keyboard: false, title: titles(c), riseOnHover: true });
      marker.on('click', () => {
        if (single) navigate(hrefFor('report', { id: single.id }));
        else map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, MAX_ZOOM));
      });
      layer.addLayer(marker);
    }
  }, [layer, cells, lang, titles]);
  return null;
}

/** The drawn area: a line while drawing (with its vertices), a polygon once finished. */
function AreaLayer({ state }: { state: PolygonState }) {
  const map = useMap();
  useEffect(() => {
    if (state.mode === 'idle') return;
    const points = state.vertices.map((v) => L.latLng(v.lat, v.lon));
    const style = { color: '#7a3e00', weight: 3, interactive: false };
    const group = L.layerGroup();
    if (state.mode === 'done') group.addLayer(L.polygon(points, { ...style, fillOpacity: 0.08 }));
    else {
      group.addLayer(L.polyline(points, { ...style, dashArray: '6 6' }));
      for (const p of points)
        group.addLayer(
          L.circleMarker(p, { radius: 5, color: '#7a3e00', fillOpacity: 1, interactive: false }),
        );
    }
    group.addTo(map);
    return () => {
      group.remove();
    };
  }, [map, state]);
  return null;
}

type ClusterLoad =
  | { state: 'loading'; cells: ClusterCell[] }
  | { state: 'ready'; cells: ClusterCell[]; total: number }
  | { state: 'error'; cells: ClusterCell[]; message: string };

/**
 * The history map: server-side clusters of the filtered reports for the current view (loaded
 * after each move, the previous request cancelled), a tool to draw the list's area, and no
 * dependency on map tiles (a plain grid without them).
 */
export function ClusterMap({ filter, start, goTo, area, onArea, onView }: ClusterMapProps) {
  const { t, i18n } = useTranslation();
  const [tiles, setTiles] = useState<TileConfig | null>(null);
  const [viewport, setViewport] = useState<{ bbox: string; zoom: number } | null>(null);
  const [clusters, setClusters] = useState<ClusterLoad>({ state: 'loading', cells: [] });
  const [attempt, setAttempt] = useState(0);
  const [poly, dispatch] = useReducer(polygonReducer, IDLE);
  const mapRef = useRef<L.Map | null>(null);
  const key = filterToQuery(filter).toString();

  useEffect(() => {
    let live = true;
    void fetchTiles().then((c) => live && setTiles(c));
    return () => {
      live = false;
    };
  }, []);

  // The area of the address (the filter changed from outside): shown unless a drawing is under way.
  useEffect(() => dispatch({ type: 'load', vertices: area }), [area]);

  useEffect(() => {
    if (!viewport) return;
    const ctrl = new AbortController();
    setClusters((c) => ({ state: 'loading', cells: c.cells }));
    const timer = setTimeout(() => {
      fetchClusters(filter, viewport.bbox, viewport.zoom, ctrl.signal)
        .then((a) => setClusters({ state: 'ready', cells: a.cells, total: a.total }))
        .catch((err: unknown) => {
          if (!ctrl.signal.aborted)
            setClusters((c) => ({ state: 'error', cells: c.cells, message: errorMessage(t, err) }));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // `key` stands for the filter.
  }, [key, viewport, attempt, t]);

  const titles = useMemo(
    () => (c: ClusterCell) =>
      c.report
        ? t('history.map.single', { status: t(`townhall.status.${c.report.status}`) })
        : t('history.map.cluster', { count: c.count }),
    [t],
  );

  const moved = (view: MapView, bounds: Bounds) => {
    setViewport({ bbox: boundsToParam(bounds), zoom: view.zoom });
    onView(view, bounds);
  };
  const finish = () => {
    if (poly.mode !== 'drawing' || !canFinish(poly)) return;
    dispatch({ type: 'finish' });
    onArea(areaToParam(poly.vertices));
  };
  const clear = () => {
    dispatch({ type: 'clear' });
    onArea(undefined);
  };
  const addCentre = () => {
    const c = mapRef.current?.getCenter();
    if (c) dispatch({ type: 'add', vertex: { lat: c.lat, lon: c.lng } });
  };

  const initial =
    start && 'view' in start
      ? { center: L.latLng(start.view.lat, start.view.lon), zoom: start.view.zoom }
      : start
        ? { bounds: toLatLngBounds(start.bounds), boundsOptions: { padding: [16, 16] as [number, number] } }
        : { center: L.latLng(FRANCE.lat, FRANCE.lon), zoom: FRANCE.zoom };
  const drawing = poly.mode === 'drawing';
  return (
    <div className="hs-map-pane">
      <div className={`hs-map-frame${drawing ? ' hs-drawing' : ''}`}>
        <div className="hs-map-tools">
          <div className="hs-map-buttons" role="group" aria-label={t('history.map.draw')}>
            {poly.mode !== 'drawing' && (
              <button type="button" className="hs-tool" onClick={() => dispatch({ type: 'start' })}>
                {t('history.map.draw')}
              </button>
            )}
            {drawing && (
              <>
                <button type="button" className="hs-tool" onClick={addCentre}>
                  {t('history.map.addCentre')}
                </button>
                <button
                  type="button"
                  className="hs-tool"
                  onClick={() => dispatch({ type: 'undo' })}
                  disabled={poly.vertices.length === 0}
                >
                  {t('history.map.undo')}
                </button>
                <button
                  type="button"
                  className="hs-tool hs-tool-main"
                  onClick={finish}
                  disabled={!canFinish(poly)}
                >
                  {t('history.map.finish', { count: poly.vertices.length })}
                </button>
                <button type="button" className="hs-tool" onClick={() => dispatch({ type: 'cancel' })}>
                  {t('history.map.cancel')}
                </button>
              </>
            )}
            {poly.mode !== 'drawing' && area && (
              <button type="button" className="hs-tool" onClick={clear}>
                {t('history.map.clearArea')}
              </button>
            )}
          </div>
          {drawing && <p className="hs-tool-hint">{t('history.map.drawHint')}</p>}
        </div>
        <MapContainer
          className="hs-map"
          {...initial}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          zoomControl={false}
          attributionControl={false}
          ref={mapRef}
        >
          {tiles && <TileLayer url={tiles.tileUrl} attribution={attributionFor(tiles)} maxZoom={MAX_ZOOM} />}
          <ZoomControl
            position="topright"
            zoomInTitle={t('history.map.zoomIn')}
            zoomOutTitle={t('history.map.zoomOut')}
          />
          <AttributionControl position="bottomright" prefix={false} />
          <Behaviour
            label={t('history.map.label')}
            drawing={drawing}
            onMoved={moved}
            onAdd={(vertex) => dispatch({ type: 'add', vertex })}
            goTo={goTo}
          />
          <Clusters cells={clusters.cells} lang={i18n.language} titles={titles} />
          <AreaLayer state={poly} />
        </MapContainer>
        {drawing && <span className="hs-crosshair" aria-hidden="true" />}
      </div>
      <p className="hs-map-status" role="status">
        {clusters.state === 'loading'
          ? t('history.map.loading')
          : clusters.state === 'ready'
            ? t('history.map.summary', { count: clusters.total })
            : ''}
      </p>
      {clusters.state === 'error' && (
        <div className="hs-error" role="alert">
          <p>{t('history.map.error', { message: clusters.message })}</p>
          <button type="button" className="hs-button hs-secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('history.map.retry')}
          </button>
        </div>
      )}
      {area && poly.mode === 'done' && <p className="hs-muted">{t('history.map.areaActive')}</p>}
    </div>
  );
}

export default ClusterMap;
