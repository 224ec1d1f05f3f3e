import { lazy, Suspense } from 'react';
import type { MapRoute } from './RouteMap';

const RouteMap = lazy(() => import('./RouteMap'));

/** The route map, fetched only when a screen shows it (Leaflet stays out of the sign-in bundle). */
export function LazyRouteMap({ routes, label }: { routes: MapRoute[]; label: string }) {
  return (
    <Suspense fallback={<div className="staff-map" aria-hidden="true" />}>
      <RouteMap routes={routes} label={label} />
    </Suspense>
  );
}
