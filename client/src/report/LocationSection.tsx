import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TileConfig } from '../api/api';
import {
  confidence,
  describePlace,
  distanceMetres,
  parseCoordinates,
  TYPED_ACCURACY_METRES,
  type Fix,
  type Place,
} from './location';
import type { GeoState } from './useGeolocation';

// Leaflet is the heaviest dependency: it loads after the capture screen is shown.
const LocationMap = lazy(() => import('../map/LocationMap').then((m) => ({ default: m.LocationMap })));

/** Props of the location section. */
export interface LocationSectionProps {
  place: Place | null;
  geo: GeoState;
  /** A gallery photo's EXIF position, offered (never imposed). */
  exifOffer: { lat: number; lon: number; accuracy: number } | null;
  poorConfirmed: boolean;
  onConfirmPoor(): void;
  onPlace(place: Place): void;
  onUseGps(): void;
  recenterKey: number;
  tiles: TileConfig | null;
  fallbackCenter: { lat: number; lon: number } | null;
  /** The server says this place is in no commune served by Vigie. */
  outside: boolean;
  onManual(lat: number, lon: number, zoom: number): void;
}

function formatDistance(t: (k: string, o?: Record<string, unknown>) => string, metres: number): string {
  return metres >= 1000
    ? t('report.location.km', { distance: Math.round(metres / 100) / 10 })
    : t('report.location.m', { distance: Math.round(metres) });
}

/** Where the defect is: GPS pin with its accuracy, the map to adjust it, and the alternatives. */
export function LocationSection(props: LocationSectionProps) {
  const { place, geo, exifOffer } = props;
  const { t } = useTranslation();
  const [tilesOk, setTilesOk] = useState(true);
  const status = statusText(t, place, geo);
  const level = place?.source === 'gps' ? confidence(place.accuracy) : null;
  const reference: Fix | Place | null = geo.best ?? place;
  return (
    <fieldset className="section" id="location">
      <legend className="section-title">{t('report.location.legend')}</legend>
      <p
        className={`location-status${level === 'poor' ? ' notice notice-warn' : ''}`}
        role="status"
        data-testid="location-status"
      >
        {level === 'good' && <span aria-hidden="true">✓ </span>}
        {status}
      </p>
      {props.outside && <p className="notice notice-error">{t('report.location.outside')}</p>}
      {level === 'poor' && !props.poorConfirmed && (
        <button type="button" className="button button-secondary" onClick={props.onConfirmPoor}>
          {t('report.location.confirmPoor')}
        </button>
      )}
      <Suspense fallback={<div className="location-map map-loading">{t('report.location.loadingMap')}</div>}>
        <LocationMap
          place={place}
          fallbackCenter={props.fallbackCenter}
          tiles={props.tiles}
          recenterKey={props.recenterKey}
          onPlace={props.onManual}
          onTilesStatus={setTilesOk}
          labels={{
            map: t('report.location.map'),
            pin: t('report.location.pin'),
            zoomIn: t('report.location.zoomIn'),
            zoomOut: t('report.location.zoomOut'),
          }}
        />
      </Suspense>
      {!tilesOk && <p className="hint">{t('report.location.tilesFailed')}</p>}
      {place && (
        <p className="coordinates" data-testid="coordinates">
          {t('report.location.coordinates', { coords: describePlace(place) })}
        </p>
      )}
      <div className="location-actions">
        {exifOffer && place?.source !== 'exif' && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => props.onPlace({ ...exifOffer, source: 'exif' })}
          >
            {reference
              ? t('report.location.useExif', {
                  distance: formatDistance(t, distanceMetres(reference, exifOffer)),
                })
              : t('report.location.useExifNoDistance')}
          </button>
        )}
        {geo.best && place && place.source !== 'gps' && (
          <button type="button" className="button button-secondary" onClick={props.onUseGps}>
            {t('report.location.useGps')}
          </button>
        )}
      </div>
      <TypedCoordinates onPlace={props.onPlace} />
    </fieldset>
  );
}

function statusText(
  t: (k: string, o?: Record<string, unknown>) => string,
  place: Place | null,
  geo: GeoState,
): string {
  if (place?.source === 'manual')
    return t('report.location.manual', { accuracy: Math.round(place.accuracy) });
  if (place?.source === 'exif') return t('report.location.exif', { accuracy: Math.round(place.accuracy) });
  if (place)
    return t(`report.location.${confidence(place.accuracy)}`, { accuracy: Math.round(place.accuracy) });
  if (geo.status === 'denied') return t('report.location.denied');
  if (geo.status === 'unavailable') return t('report.location.unavailable');
  return t('report.location.searching');
}

/** The keyboard and screen-reader way to set the place (and the way when the map is no help). */
function TypedCoordinates({ onPlace }: { onPlace(place: Place): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = () => {
    const parsed = parseCoordinates(lat, lon);
    setInvalid(!parsed);
    if (parsed) onPlace({ ...parsed, accuracy: TYPED_ACCURACY_METRES, source: 'manual' });
  };
  return (
    <details className="typed-coordinates">
      <summary>{t('report.location.typeCoordinates')}</summary>
      <div className="typed-form" role="group" aria-label={t('report.location.typeCoordinates')}>
        <div className="field">
          <label htmlFor={`${id}-lat`}>{t('report.location.lat')}</label>
          <input
            id={`${id}-lat`}
            inputMode="decimal"
            autoComplete="off"
            value={lat}
            onChange={(e) => setLat(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>{t('report.location.lon')}</label>
          <input
            id={`${id}-lon`}
            inputMode="decimal"
            autoComplete="off"
            value={lon}
            onChange={(e) => setLon(e.target.value)}
          />
        </div>
        <button type="button" className="button button-secondary" onClick={submit}>
          {t('report.location.apply')}
        </button>
        {invalid && (
          <p className="field-error" role="alert">
            {t('report.location.invalid')}
          </p>
        )}
      </div>
    </details>
  );
}
