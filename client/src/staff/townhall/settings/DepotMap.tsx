import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo, useState } from 'react';
import {
  AttributionControl,
  GeoJSON,
  MapContainer,
  Marker,
  TileLayer,
  useMap,
  useMapEvents,
} from 'react-leaflet';
import type { DepotView } from '../../../../../server/src/contract/settings';

const DEPOT_ICON = L.divIcon({
  className: 'staff-depot-pin',
  html: '<span aria-hidden="true">D</span>',
  iconSize: [34, 34],
  iconAnchor: [17, 17],
});

function Setup({ label, bbox }: { label: string; bbox: DepotView['bbox'] }) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  useEffect(() => {
    const [minLon, minLat, maxLon, maxLat] = bbox;
    map.fitBounds(
      [
        [minLat, minLon],
        [maxLat, maxLon],
      ],
      { padding: [16, 16] },
    );
  }, [map, bbox]);
  return null;
}

function ClickToPlace({ onPick }: { onPick: (p: { lat: number; lon: number }) => void }) {
  useMapEvents({ click: (e) => onPick({ lat: e.latlng.lat, lon: e.latlng.lng }) });
  return null;
}

/**
 * The commune's boundary and its depot, which a click or a drag moves. Loaded lazily; works
 * without tiles (boundary and marker are drawn anyway); the typed coordinates beside it are the
 * keyboard way to do the same.
 */
export function DepotMap({
  view,
  at,
  label,
  markerLabel,
  onPick,
}: {
  view: DepotView;
  at: { lat: number; lon: number };
  label: string;
  markerLabel: string;
  onPick: (p: { lat: number; lon: number }) => void;
}) {
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
  const handlers = useMemo(
    () => ({
      dragend: (e: L.DragEndEvent) => {
        const p = (e.target as L.Marker).getLatLng();
        onPick({ lat: p.lat, lon: p.lng });
      },
    }),
    [onPick],
  );
  return (
    <MapContainer
      className="staff-map staff-depot-map"
      center={[at.lat, at.lon]}
      zoom={13}
      attributionControl={false}
    >
      {tileUrl && <TileLayer url={tileUrl} maxZoom={19} />}
      <AttributionControl position="bottomright" prefix={false} />
      <Setup label={label} bbox={view.bbox} />
      <GeoJSON
        data={view.boundary as unknown as GeoJSON.MultiPolygon}
        style={{ color: '#0b5394', weight: 2, fillOpacity: 0.05 }}
        interactive={false}
      />
      <ClickToPlace onPick={onPick} />
      <Marker
        position={[at.lat, at.lon]}
        icon={DEPOT_ICON}
        draggable
        title={markerLabel}
        eventHandlers={handlers}
      />
    </MapContainer>
  );
}

export default DepotMap;
