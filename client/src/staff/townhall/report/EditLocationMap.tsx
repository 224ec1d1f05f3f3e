import 'leaflet/dist/leaflet.css';
import '../../../map/map.css';
import L from 'leaflet';
import { useEffect, useMemo, useState } from 'react';
import { AttributionControl, MapContainer, Marker, TileLayer, useMap, useMapEvents } from 'react-leaflet';

/** Props of the small map that moves a report's pin. */
export interface EditLocationMapProps {
  lat: number;
  lon: number;
  /** The pin was dragged or the map clicked. */
  onMove(lat: number, lon: number): void;
  labels: { map: string; pin: string };
}

function Behaviour({ lat, lon, onMove, label }: Omit<EditLocationMapProps, 'labels'> & { label: string }) {
  const map = useMap();
  useMapEvents({ click: (e) => onMove(e.latlng.lat, e.latlng.lng) });
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  // Typed coordinates move the pin out of view: follow it.
  useEffect(() => {
    if (!map.getBounds().pad(-0.1).contains([lat, lon])) map.panTo([lat, lon], { animate: false });
  }, [map, lat, lon]);
  return null;
}

/**
 * A small map with the report's pin, draggable (or click to place it). Works without tiles:
 * the pin on the plain grid and the typed coordinates beside it are all that is needed.
 */
export default function EditLocationMap({ lat, lon, onMove, labels }: EditLocationMapProps) {
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
    <MapContainer className="ra-map" center={[lat, lon]} zoom={17} maxZoom={19} attributionControl={false}>
      {tileUrl && <TileLayer url={tileUrl} maxZoom={19} />}
      <AttributionControl position="bottomright" prefix={false} />
      <Marker
        position={[lat, lon]}
        icon={icon}
        draggable
        title={labels.pin}
        alt={labels.pin}
        eventHandlers={{
          dragend: (e) => {
            const ll = (e.target as L.Marker).getLatLng();
            onMove(ll.lat, ll.lng);
          },
        }}
      />
      <Behaviour lat={lat} lon={lon} onMove={onMove} label={labels.map} />
    </MapContainer>
  );
}
