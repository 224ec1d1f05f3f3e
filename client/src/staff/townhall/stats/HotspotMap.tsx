import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo, useState } from 'react';
import { AttributionControl, MapContainer, Rectangle, TileLayer, Tooltip, useMap } from 'react-leaflet';
import type { HotspotCell } from '../../../../../server/src/contract/stats';
import { heatColour } from './colours';

function Setup({ label, bounds }: { label: string; bounds: L.LatLngBounds | undefined }) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }, [map, label]);
  useEffect(() => {
    if (bounds?.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
  }, [map, bounds]);
  return null;
}

/**
 * The hotspot grid on a map: one rectangle per cell, darker for more reports; clicking a cell
 * calls `onSelect`. Loaded lazily; works without tiles (the cells are drawn anyway). The same
 * cells are listed in a table with links next to the map, for keyboards and screen readers.
 */
export default function HotspotMap({
  cells,
  label,
  tooltip,
  onSelect,
}: {
  cells: HotspotCell[];
  label: string;
  tooltip: (c: HotspotCell) => string;
  onSelect: (c: HotspotCell) => void;
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
  const bounds = useMemo(
    () =>
      cells.length
        ? L.latLngBounds(cells.flatMap((c) => [L.latLng(c.minLat, c.minLon), L.latLng(c.maxLat, c.maxLon)]))
        : undefined,
    [cells],
  );
  const max = cells.reduce((m, c) => Math.max(m, c.count), 0);
  const centre = bounds?.isValid() ? bounds.getCenter() : L.latLng(46.6, 2.4);
  return (
    <MapContainer className="stats-map" center={centre} zoom={13} attributionControl={false} preferCanvas>
      {tileUrl && <TileLayer url={tileUrl} maxZoom={19} />}
      <AttributionControl position="bottomright" prefix={false} />
      <Setup label={label} bounds={bounds} />
      {cells.map((c) => (
        <Rectangle
          key={`${c.minLon},${c.minLat}`}
          bounds={[
            [c.minLat, c.minLon],
            [c.maxLat, c.maxLon],
          ]}
          pathOptions={{
            color: '#7f2704',
            weight: 1,
            fillColor: heatColour(c.count, max),
            fillOpacity: 0.75,
          }}
          eventHandlers={{ click: () => onSelect(c) }}
        >
          <Tooltip sticky>{tooltip(c)}</Tooltip>
        </Rectangle>
      ))}
    </MapContainer>
  );
}
