import { lazy, Suspense } from 'react';
import type { ClusterMapProps } from './ClusterMap';

const ClusterMap = lazy(() => import('./ClusterMap'));

/** The history map, fetched when the screen opens (Leaflet stays out of the sign-in bundle). */
export function LazyClusterMap(props: ClusterMapProps) {
  return (
    <Suspense fallback={<div className="hs-map-pane hs-map-placeholder" aria-hidden="true" />}>
      <ClusterMap {...props} />
    </Suspense>
  );
}
