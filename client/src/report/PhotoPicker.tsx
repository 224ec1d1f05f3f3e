import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../server/src/contract/limits';
import type { DraftPhoto } from './draft';

/** Props of the photo picker. */
export interface PhotoPickerProps {
  photos: DraftPhoto[];
  onAdd(files: File[], fromGallery: boolean): void;
  onRemove(key: string): void;
}

/**
 * Camera first (`capture="environment"` opens the back camera on phones), gallery second; up
 * to 4 photos with previews. The file inputs sit inside big labels: one thumb, one tap.
 */
export function PhotoPicker({ photos, onAdd, onRemove }: PhotoPickerProps) {
  const { t } = useTranslation();
  const full = photos.length >= LIMITS.maxPhotos;
  const pick = (fromGallery: boolean) => (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = ''; // the same photo can be picked again after removing it
    if (files.length > 0) onAdd(files, fromGallery);
  };
  return (
    <fieldset className="section" id="photos">
      <legend className="section-title">{t('report.photos.legend')}</legend>
      {photos.length > 0 && (
        <ul className="photo-grid">
          {photos.map((p, i) => (
            <li key={p.key} className={`photo photo-${p.status}`}>
              {p.status === 'ready' && p.preview ? (
                <img src={p.preview} alt={t('report.photos.alt', { n: i + 1 })} />
              ) : (
                <span className="photo-placeholder" role="status">
                  {p.status === 'failed' ? t('report.photos.failed') : t('report.photos.processing')}
                </span>
              )}
              <button
                type="button"
                className="photo-remove"
                onClick={() => onRemove(p.key)}
                aria-label={t('report.photos.remove', { n: i + 1 })}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p className="hint">{t('report.photos.full', { max: LIMITS.maxPhotos })}</p>
      ) : (
        <div className="photo-actions">
          <label className="button button-primary button-big">
            <input
              className="sr-only"
              type="file"
              accept="image/*"
              capture="environment"
              onChange={pick(false)}
              data-testid="camera-input"
            />
            <CameraIcon />
            {t('report.photos.take')}
          </label>
          <label className="button button-secondary button-big">
            <input
              className="sr-only"
              type="file"
              accept="image/*"
              multiple
              onChange={pick(true)}
              data-testid="gallery-input"
            />
            <GalleryIcon />
            {t('report.photos.gallery')}
          </label>
        </div>
      )}
    </fieldset>
  );
}

function CameraIcon() {
  return (
    <svg
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M4 8h3l2-3h6l2 3h3v11H4z" />
      <circle cx="12" cy="13" r="3.5" />
    </svg>
  );
}

function GalleryIcon() {
  return (
    <svg
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="m3 17 5-5 4 4 3-3 6 6" />
      <circle cx="16" cy="9" r="1.5" />
    </svg>
  );
}
