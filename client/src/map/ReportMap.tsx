import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { AttributionControl, Circle, MapContainer, Marker, TileLayer, useMap } from 'react-leaflet';
import type { TileConfig } from '../api/api';
import { attributionFor } from './tiles';

function Label({ label }: { label: string }) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  return null;
}

/** A small read-only map of a report's location (My reports detail). */
export function ReportMap({
  lat,
  lon,
  accuracy,
  tiles,
  label,
}: {
  lat: number;
  lon: number;
  accuracy: number;
  tiles: TileConfig | null;
  label: string;
}) {
  const icon = useMemo(
    () =>
      L.divIcon({
        className: 'vigie-pin',
        html: '<span class="vigie-pin-head" aria-hidden="true"></span>',
        iconSize: [36, 44],
        iconAnchor: [18, 44],
      }),
    [],
  );
  return (
    <MapContainer
      className="report-map"
      center={[lat, lon]}
      zoom={17}
      attributionControl={false}
      zoomControl={false}
      dragging={false}
      scrollWheelZoom={false}
      doubleClickZoom={false}
      touchZoom={false}
      keyboard={false}
      boxZoom={false}
    >
      {tiles && <TileLayer url={tiles.tileUrl} attribution={attributionFor(tiles)} maxZoom={19} />}
      <AttributionControl position="bottomright" prefix={false} />
      <Circle
        center={[lat, lon]}
        radius={Math.max(accuracy, 1)}
        interactive={false}
        pathOptions={{ color: '#0b5394', weight: 2, fillOpacity: 0.12 }}
      />
      <Marker position={[lat, lon]} icon={icon} keyboard={false} interactive={false} />
      <Label label={label} />
    </MapContainer>
  );
}
