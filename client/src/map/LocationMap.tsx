import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { useEffect, useMemo, useRef } from 'react';
import {
  AttributionControl,
  Circle,
  MapContainer,
  Marker,
  TileLayer,
  useMap,
  useMapEvents,
  ZoomControl,
} from 'react-leaflet';
import type { TileConfig } from '../api/api';
import type { Place } from '../report/location';
import { attributionFor, FRANCE } from './tiles';

/** Props of the location map. */
export interface LocationMapProps {
  /** The pin, null before any position is known. */
  place: Place | null;
  /** Where to look when there is no pin yet (the commune), null: France. */
  fallbackCenter: { lat: number; lon: number } | null;
  tiles: TileConfig | null;
  /** Changes whenever the pin was set from outside the map (GPS, photo, typed): the map recentres. */
  recenterKey: number;
  /** The person tapped the map or dropped the pin. */
  onPlace(lat: number, lon: number, zoom: number): void;
  /** Whether tiles load at all (false when offline, air-gapped, blocked). */
  onTilesStatus(ok: boolean): void;
  labels: { map: string; pin: string; zoomIn: string; zoomOut: string };
}

function Behaviour({
  place,
  recenterKey,
  onPlace,
  label,
}: Pick<LocationMapProps, 'place' | 'recenterKey' | 'onPlace'> & { label: string }) {
  const map = useMap();
  useMapEvents({
    click: (e) => onPlace(e.latlng.lat, e.latlng.lng, map.getZoom()),
  });
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  // The capture screen is hidden (not unmounted) while "My reports" is open: resize on return.
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  const placeRef = useRef(place);
  placeRef.current = place;
  useEffect(() => {
    const p = placeRef.current;
    // Show the whole accuracy circle: a 240 m fix must not look like a precise one.
    if (p)
      map.fitBounds(L.latLng(p.lat, p.lon).toBounds(Math.max(p.accuracy, 15) * 2.4), {
        maxZoom: 18,
        animate: false,
      });
  }, [map, recenterKey]);
  return null;
}

function Pin({
  place,
  icon,
  title,
  onPlace,
}: {
  place: Place;
  icon: L.DivIcon;
  title: string;
  onPlace: LocationMapProps['onPlace'];
}) {
  const map = useMap();
  return (
    <>
      <Circle
        center={[place.lat, place.lon]}
        radius={Math.max(place.accuracy, 1)}
        interactive={false}
        pathOptions={{ color: '#0b5394', weight: 2, fillColor: '#0b5394', fillOpacity: 0.12 }}
      />
      <Marker
        position={[place.lat, place.lon]}
        icon={icon}
        draggable
        title={title}
        eventHandlers={{
          dragend: (e) => {
            const ll = (e.target as L.Marker).getLatLng();
            onPlace(ll.lat, ll.lng, map.getZoom());
          },
        }}
      />
    </>
  );
}

/**
 * The capture map: the pin (draggable), its accuracy circle, tap-to-place. Works on a plain
 * background when tiles fail: the pin, the circle and the coordinates are all that is needed.
 */
export function LocationMap(props: LocationMapProps) {
  const { place, fallbackCenter, tiles, onPlace, onTilesStatus, labels } = props;
  const icon = useMemo(
    () =>
      L.divIcon({
        className: 'vigie-pin',
        html: `<span class="vigie-pin-head" aria-hidden="true"></span><span class="sr-only">${escapeHtml(labels.pin)}</span>`,
        iconSize: [36, 44],
        iconAnchor: [18, 44],
      }),
    [labels.pin],
  );
  const start = place ?? fallbackCenter;
  const loaded = useRef(false);
  return (
    <MapContainer
      className="location-map"
      center={start ? [start.lat, start.lon] : [FRANCE.lat, FRANCE.lon]}
      zoom={place ? 18 : start ? 13 : FRANCE.zoom}
      zoomControl={false}
      attributionControl={false}
      maxZoom={19}
    >
      {tiles && (
        <TileLayer
          url={tiles.tileUrl}
          attribution={attributionFor(tiles)}
          maxZoom={19}
          eventHandlers={{
            tileload: () => {
              loaded.current = true;
              onTilesStatus(true);
            },
            tileerror: () => {
              if (!loaded.current) onTilesStatus(false);
            },
          }}
        />
      )}
      <ZoomControl position="topright" zoomInTitle={labels.zoomIn} zoomOutTitle={labels.zoomOut} />
      <AttributionControl position="bottomright" prefix={false} />
      {place && <Pin place={place} icon={icon} title={labels.pin} onPlace={onPlace} />}
      <Behaviour place={place} recenterKey={props.recenterKey} onPlace={onPlace} label={labels.map} />
    </MapContainer>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
