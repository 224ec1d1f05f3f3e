import { lazy, Suspense, useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, Section, useSectionData, type SettingsCommune } from './Section';
import { getDepot, moveDepot } from './settingsApi';

const DepotMap = lazy(() => import('./DepotMap'));

/** Six decimals: about 10 cm, more than a depot needs. */
const fixed = (n: number) => n.toFixed(6);

/**
 * Where the crews' day starts and ends: a map of the commune (click or drag the marker) and the
 * coordinates as text, so it works without map tiles and from the keyboard. The server refuses
 * a point outside the commune.
 */
export function DepotSection({ commune }: { commune: SettingsCommune }) {
  const { t } = useTranslation();
  const id = useId();
  const { data, setData, failed, reload } = useSectionData(() => getDepot(commune.slug), commune.slug);
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (!data) return;
    setLat(fixed(data.depot.lat));
    setLon(fixed(data.depot.lon));
  }, [data]);
  const pick = useCallback((p: { lat: number; lon: number }) => {
    setLat(fixed(p.lat));
    setLon(fixed(p.lon));
  }, []);

  const la = Number(lat);
  const lo = Number(lon);
  const valid = lat.trim() !== '' && lon.trim() !== '' && Math.abs(la) <= 90 && Math.abs(lo) <= 180;

  async function save(e: FormEvent) {
    e.preventDefault();
    setNotice('');
    if (!valid) {
      setError(t('settings.depot.invalid'));
      return;
    }
    if (data && fixed(data.depot.lat) === fixed(la) && fixed(data.depot.lon) === fixed(lo)) {
      setError('');
      setNotice(t('settings.depot.unchanged'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      setData(await moveDepot(commune.slug, { lat: la, lon: lo }));
      setNotice(t('settings.depot.moved'));
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section
      id="settings-depot"
      title={t('settings.depot.heading')}
      hint={t('settings.depot.hint')}
      loaded={data !== undefined}
      failed={failed}
      onRetry={reload}
      notice={notice}
      error={error}
    >
      {data && (
        <div className="staff-depot">
          <Suspense fallback={<div className="staff-map staff-depot-map" aria-hidden="true" />}>
            <DepotMap
              view={data}
              at={valid ? { lat: la, lon: lo } : data.depot}
              label={t('settings.depot.map')}
              markerLabel={t('settings.depot.marker')}
              onPick={pick}
            />
          </Suspense>
          <form className="staff-settings-form" onSubmit={save} noValidate aria-describedby={`${id}-hint`}>
            <p id={`${id}-hint`} className="staff-hint">
              {t('settings.depot.coordsHint')}
            </p>
            <div className="staff-field">
              <label htmlFor={`${id}-lat`}>{t('settings.depot.lat')}</label>
              <input
                id={`${id}-lat`}
                inputMode="decimal"
                value={lat}
                onChange={(e) => setLat(e.target.value.replace(',', '.'))}
              />
            </div>
            <div className="staff-field">
              <label htmlFor={`${id}-lon`}>{t('settings.depot.lon')}</label>
              <input
                id={`${id}-lon`}
                inputMode="decimal"
                value={lon}
                onChange={(e) => setLon(e.target.value.replace(',', '.'))}
              />
            </div>
            <button
              type="submit"
              className="staff-button staff-inline-button"
              disabled={busy}
              aria-busy={busy}
            >
              {busy ? t('settings.saving') : t('settings.save')}
            </button>
          </form>
        </div>
      )}
    </Section>
  );
}
