import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo, useState } from 'react';
import { AttributionControl, MapContainer, Marker, Polyline, TileLayer, useMap } from 'react-leaflet';

/** One round drawn on the map: depot, numbered stops in order, the line between them. */
export interface MapRoute {
  key: string;
  colour: string;
  depot: { lat: number; lon: number };
  stops: Array<{ reportId: string; lat: number; lon: number; label: string }>;
}

function Setup({ label, bounds }: { label: string; bounds: L.LatLngBounds | undefined }) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  useEffect(() => {
    if (bounds?.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }, [map, bounds]);
  return null;
}

function numberIcon(n: string, colour: string): L.DivIcon {
  return L.divIcon({
    className: 'staff-stop-pin',
    html: `<span style="background:${colour}">${n}</span>`,
    iconSize: [30, 30],
    iconAnchor: [15, 15],
  });
}

/**
 * Rounds on a map (numbered stops, route line, one colour per round). Loaded lazily; works
 * without tiles (the markers and lines are drawn anyway), as in the field or in tests.
 */
export function RouteMap({ routes, label }: { routes: MapRoute[]; label: string }) {
  const [tileUrl, setTileUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/config', { credentials: 'same-origin' })
      .then((r) => (r.ok ? (r.json() as Promise<{ tileUrl?: string }>) : undefined))
      .then((c) => live && c?.tileUrl && setTileUrl(c.tileUrl))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const bounds = useMemo(() => {
    const points = routes.flatMap((r) => [r.depot, ...r.stops]).map((p) => L.latLng(p.lat, p.lon));
    return points.length ? L.latLngBounds(points) : undefined;
  }, [routes]);
  const centre = bounds?.isValid() ? bounds.getCenter() : L.latLng(46.6, 2.4);
  return (
    <MapContainer className="staff-map" center={centre} zoom={14} attributionControl={false}>
      {tileUrl && <TileLayer url={tileUrl} maxZoom={19} />}
      <AttributionControl position="bottomright" prefix={false} />
      <Setup label={label} bounds={bounds} />
      {routes.map((r) => (
        <Polyline
          key={`line-${r.key}`}
          positions={[r.depot, ...r.stops, r.depot].map((p) => [p.lat, p.lon] as [number, number])}
          pathOptions={{ color: r.colour, weight: 4, opacity: 0.8 }}
          interactive={false}
        />
      ))}
      {routes.flatMap((r) =>
        r.stops.map((s) => (
          <Marker
            key={`${r.key}-${s.reportId}`}
            position={[s.lat, s.lon]}
            icon={numberIcon(s.label, r.colour)}
            interactive={false}
            keyboard={false}
          />
        )),
      )}
    </MapContainer>
  );
}

export default RouteMap;
