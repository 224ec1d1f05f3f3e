import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryView, CommuneView } from '../../../server/src/contract/communes';
import { LIMITS } from '../../../server/src/contract/limits';
import type { NearbyReport } from '../../../server/src/contract/reports';
import { fetchNearby, type TileConfig } from '../api/api';
import { useOnline, useOutboxState, useServices } from '../offline/hooks';
import { categoriesAt, type CategoriesAt } from '../offline/reference';
import { newReportId } from '../offline/services';
import { CategoryGrid } from './CategoryGrid';
import { buildReport, validateFields, type DraftPhoto } from './draft';
import { distanceMetres, manualAccuracy, placeAccepted, type Place } from './location';
import { LocationSection } from './LocationSection';
import { NearbyHint } from './NearbyHint';
import { PhotoPicker } from './PhotoPicker';
import { readPhotoMetadata } from './photos/exif';
import { processPhoto } from './photos/process';
import { SavedPanel } from './SavedPanel';
import { useGeolocation } from './useGeolocation';
import { currentLanguage } from '../i18n';

/** Categories are fetched again when the pin moves farther than this (metres): maybe another commune. */
const REFETCH_CATEGORIES_METRES = 250;

/** What still stops the report from being sent, in screen order. */
type Need = 'photo' | 'photoProcessing' | 'place' | 'confirm' | 'outside' | 'category';
const NEED_TARGET: Record<Need, string> = {
  photo: 'photos',
  photoProcessing: 'photos',
  place: 'location',
  confirm: 'location',
  outside: 'location',
  category: 'category',
};

let photoKeys = 0;

/**
 * The capture flow, on one screen, in the order of the thumb: photo, location (already being
 * found while the photo is taken), category, optional details, send. Sending writes to the
 * outbox first; the confirmation follows the upload live.
 */
export function ReportScreen({ tiles, communes }: { tiles: TileConfig | null; communes: CommuneView[] }) {
  const { t } = useTranslation();
  const services = useServices();
  const online = useOnline();
  const geo = useGeolocation();
  const formId = useId();

  const [photos, setPhotos] = useState<DraftPhoto[]>([]);
  const [userPlace, setUserPlace] = useState<Place | null>(null);
  const [recenterKey, setRecenterKey] = useState(0);
  const [poorConfirmed, setPoorConfirmed] = useState(false);
  const [categories, setCategories] = useState<CategoriesAt | 'loading' | null>(null);
  const [category, setCategory] = useState<CategoryView | null>(null);
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [nearby, setNearby] = useState<NearbyReport[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ id: string; commune: string | null } | null>(null);
  const [attempted, setAttempted] = useState(false);

  const place: Place | null =
    userPlace ??
    (geo.best ? { lat: geo.best.lat, lon: geo.best.lon, accuracy: geo.best.accuracy, source: 'gps' } : null);

  // Follow the GPS on the map while the person has not placed the pin themselves.
  useEffect(() => {
    if (!userPlace && geo.best) setRecenterKey((k) => k + 1);
  }, [geo.best, userPlace]);

  // Categories: the cached ones at once (last commune), then the server's for the place.
  const fetchedFor = useRef<{ lat: number; lon: number } | null>(null);
  useEffect(() => {
    let live = true;
    void categoriesAt(services.db, null, Date.now()).then(
      (c) => live && c.kind === 'ok' && setCategories((cur) => cur ?? c),
    );
    return () => {
      live = false;
    };
  }, [services.db]);
  useEffect(() => {
    if (!place) return;
    const last = fetchedFor.current;
    const moved = !last || distanceMetres(last, place) > REFETCH_CATEGORIES_METRES;
    const stale =
      categories !== null &&
      categories !== 'loading' &&
      categories.kind === 'ok' &&
      categories.source === 'cache';
    if (!moved && !(stale && online)) return;
    fetchedFor.current = { lat: place.lat, lon: place.lon };
    let live = true;
    setCategories((cur) => (cur === null ? 'loading' : cur));
    void categoriesAt(services.db, { lat: place.lat, lon: place.lon }, Date.now())
      .then((c) => live && setCategories(c))
      .catch(() => live && setCategories((cur) => (cur === 'loading' ? { kind: 'unavailable' } : cur)));
    return () => {
      live = false;
    };
    // Deliberately keyed on the coordinates and connectivity: refetch on a real move or on reconnect only.
  }, [place?.lat, place?.lon, online, services.db]);

  // A category that does not exist in the new commune is dropped.
  useEffect(() => {
    if (category && categories && categories !== 'loading' && categories.kind === 'ok') {
      if (!categories.categories.some((c) => c.code === category.code)) setCategory(null);
    }
  }, [categories, category]);

  // "Already reported nearby", when online.
  // Asked again when a report of this device reaches the server: it is "already reported" now.
  const queued = useOutboxState().entries.length;
  const nearbyKey =
    place && online
      ? `${place.lat.toFixed(4)},${place.lon.toFixed(4)},${category?.code ?? ''},${queued}`
      : '';
  useEffect(() => {
    if (!nearbyKey || !place) {
      setNearby([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      fetchNearby(place.lat, place.lon, category?.code)
        .then((items) => live && setNearby(items))
        .catch(() => live && setNearby([]));
    }, 600);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Deliberately keyed on a rounded place: no request per metre of GPS drift.
  }, [nearbyKey]);

  // Photos: EXIF first (from the original), then downscale in the worker.
  const previews = useRef(new Set<string>());
  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((u) => URL.revokeObjectURL(u));
  }, []);
  const addPhotos = useCallback((files: File[], fromGallery: boolean) => {
    setError(null);
    setPhotos((current) => {
      const room = LIMITS.maxPhotos - current.length;
      const added = files.slice(0, Math.max(0, room)).map((file) => {
        const key = `p${++photoKeys}`;
        void (async () => {
          const [metadata, processed] = await Promise.all([
            readPhotoMetadata(file),
            processPhoto(file).catch(() => null),
          ]);
          const preview = processed ? URL.createObjectURL(processed.thumb) : null;
          if (preview) previews.current.add(preview);
          setPhotos((ps) =>
            ps.map((p) =>
              p.key === key
                ? { ...p, status: processed ? 'ready' : 'failed', processed, metadata, preview }
                : p,
            ),
          );
        })();
        return {
          key,
          status: 'processing',
          preview: null,
          processed: null,
          metadata: null,
          fromGallery,
        } satisfies DraftPhoto;
      });
      return [...current, ...added];
    });
  }, []);
  const removePhoto = useCallback((key: string) => {
    setPhotos((ps) => {
      const gone = ps.find((p) => p.key === key);
      if (gone?.preview) {
        URL.revokeObjectURL(gone.preview);
        previews.current.delete(gone.preview);
      }
      return ps.filter((p) => p.key !== key);
    });
  }, []);

  const exifOffer = photos.find((p) => p.fromGallery && p.metadata?.gps)?.metadata?.gps ?? null;
  const communeInfo =
    categories && categories !== 'loading' && categories.kind === 'ok' ? categories.commune : null;
  const fallbackCenter =
    (communeInfo && communes.find((c) => c.id === communeInfo.id)?.centroid) ?? communes[0]?.centroid ?? null;

  const needs: Need[] = [];
  const ready = photos.filter((p) => p.status === 'ready');
  if (photos.some((p) => p.status === 'processing')) needs.push('photoProcessing');
  else if (ready.length === 0) needs.push('photo');
  if (!place) needs.push('place');
  else if (!placeAccepted(place, poorConfirmed)) needs.push('confirm');
  const outside = categories !== null && categories !== 'loading' && categories.kind === 'outside';
  if (outside) needs.push('outside');
  else if (!category) needs.push('category');

  const submit = async () => {
    setAttempted(true);
    setError(null);
    const first = needs[0];
    if (first || !place || !category || outside) {
      if (first)
        document.getElementById(NEED_TARGET[first])?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      return;
    }
    setSaving(true);
    try {
      const id = newReportId();
      const { report, photos: blobs } = buildReport(
        {
          photos,
          place,
          category,
          commune: communeInfo ? { id: communeInfo.id, name: communeInfo.name } : null,
          description,
          email,
          locale: currentLanguage(),
        },
        id,
        new Date(),
      );
      const invalid = await validateFields(report.fields);
      if (invalid) {
        setError(
          invalid.field === 'contactEmail'
            ? t('report.email.invalid')
            : t('report.invalid', { message: `${invalid.field}: ${invalid.message}` }),
        );
        return;
      }
      await services.token(); // the device secret exists before anything is queued
      await services.save(report, blobs);
      setSaved({ id, commune: communeInfo?.name ?? null });
      setPhotos([]);
      setDescription('');
      setEmail('');
      setCategory(null);
      setUserPlace(null);
      setPoorConfirmed(false);
      setAttempted(false);
      window.scrollTo({ top: 0 });
    } catch (err) {
      setError(t('report.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(false);
    }
  };

  if (saved) {
    return <SavedPanel id={saved.id} commune={saved.commune} onAnother={() => setSaved(null)} />;
  }

  const showNeed = !error && needs[0] !== undefined && (attempted || photos.length > 0);
  return (
    <form
      className="report-form"
      aria-labelledby={`${formId}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${formId}-title`} className="screen-title">
        {t('report.title')}
      </h2>
      <PhotoPicker photos={photos} onAdd={addPhotos} onRemove={removePhoto} />
      <LocationSection
        place={place}
        geo={geo}
        exifOffer={exifOffer}
        poorConfirmed={poorConfirmed}
        onConfirmPoor={() => setPoorConfirmed(true)}
        onPlace={(p) => {
          setUserPlace(p);
          setRecenterKey((k) => k + 1);
        }}
        onUseGps={() => setUserPlace(null)}
        onManual={(lat, lon, zoom) =>
          setUserPlace({ lat, lon, accuracy: manualAccuracy(lat, zoom), source: 'manual' })
        }
        recenterKey={recenterKey}
        tiles={tiles}
        fallbackCenter={fallbackCenter}
        outside={outside}
      />
      <CategoryGrid categories={categories} selected={category?.code ?? null} onSelect={setCategory} />
      <NearbyHint items={nearby} />
      <div className="section">
        <div className="field">
          <label htmlFor={`${formId}-description`}>{t('report.description.label')}</label>
          <textarea
            id={`${formId}-description`}
            rows={3}
            maxLength={LIMITS.maxDescription}
            placeholder={t('report.description.placeholder')}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-email`}>{t('report.email.label')}</label>
          <input
            id={`${formId}-email`}
            type="email"
            inputMode="email"
            autoComplete="email"
            maxLength={LIMITS.maxEmail}
            aria-describedby={`${formId}-email-hint`}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <p id={`${formId}-email-hint`} className="hint">
            {t('report.email.hint')}
            {communeInfo && (
              <>
                {' '}
                <a
                  href={`/privacy/${communeInfo.slug}${currentLanguage() === 'en' ? '?lang=en' : ''}`}
                  target="_blank"
                  rel="noopener"
                >
                  {t('report.email.privacy')}
                </a>
              </>
            )}
          </p>
        </div>
      </div>
      <div className="send-bar">
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        {showNeed && (
          <p id={`${formId}-needs`} className="send-need" role="status">
            {t(`report.need.${needs[0]}`)}
          </p>
        )}
        <button
          type="submit"
          className={`button button-primary button-big button-send${needs.length > 0 ? ' is-incomplete' : ''}`}
          aria-describedby={showNeed ? `${formId}-needs` : undefined}
          disabled={saving}
        >
          {saving ? t('report.saving') : t('report.send')}
        </button>
      </div>
    </form>
  );
}
