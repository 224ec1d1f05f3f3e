import { lazy, Suspense, useEffect, useState } from 'react';
import type { TileConfig } from '../../../api/api';
import { fetchTiles } from '../history/historyApi';

const ReportMap = lazy(() => import('../../../map/ReportMap').then((m) => ({ default: m.ReportMap })));

/** The small map of a report's place (Leaflet fetched when the page shows it; works without tiles). */
export function LazyReportMap(props: { lat: number; lon: number; accuracy: number; label: string }) {
  const [tiles, setTiles] = useState<TileConfig | null>(null);
  useEffect(() => {
    let live = true;
    void fetchTiles().then((c) => live && setTiles(c));
    return () => {
      live = false;
    };
  }, []);
  return (
    <Suspense fallback={<div className="report-map" aria-hidden="true" />}>
      <ReportMap {...props} tiles={tiles} />
    </Suspense>
  );
}
