import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjectUrl } from '../../mine/useObjectUrl';
import { processPhoto } from '../../report/photos/process';

/** What the picker holds: nothing, a photo being prepared, a ready JPEG, or a photo that failed. */
export type AfterPhotoState =
  { kind: 'none' } | { kind: 'processing' } | { kind: 'ready'; blob: Blob } | { kind: 'failed' };

/**
 * The optional after-photo of a stop: camera first, gallery second. The photo is downscaled on
 * the phone by the residents' pipeline (worker, at most 2048 px, JPEG about 0.7), so a 12 MP
 * photo costs a few hundred kilobytes in the outbox and on the network.
 */
export function AfterPhotoPicker({
  id,
  state,
  onChange,
}: {
  id: string;
  state: AfterPhotoState;
  onChange: (s: AfterPhotoState) => void;
}) {
  const { t } = useTranslation();
  const preview = useObjectUrl(state.kind === 'ready' ? state.blob : null);
  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same photo can be picked again after removing it
    if (!file) return;
    onChange({ kind: 'processing' });
    processPhoto(file).then(
      (p) => onChange({ kind: 'ready', blob: p.blob }),
      () => onChange({ kind: 'failed' }),
    );
  };
  return (
    <fieldset className="staff-fieldset staff-after-photo" aria-describedby={`${id}-hint`}>
      <legend>{t('crew.afterPhoto')}</legend>
      <p id={`${id}-hint`} className="staff-hint">
        {t('crew.afterPhotoHint')}
      </p>
      <p role="status" className="staff-notice">
        {state.kind === 'processing' ? t('crew.afterPhotoProcessing') : ''}
      </p>
      {state.kind === 'failed' && <p className="staff-error">{t('crew.afterPhotoFailed')}</p>}
      {state.kind === 'ready' && preview ? (
        <>
          <img className="staff-photo" src={preview} alt={t('crew.afterPhotoPreview')} />
          <button
            type="button"
            className="staff-button staff-secondary"
            onClick={() => onChange({ kind: 'none' })}
          >
            {t('crew.afterPhotoRemove')}
          </button>
        </>
      ) : (
        <div className="staff-photo-actions">
          <label className="staff-button staff-secondary staff-file-button">
            <input
              className="staff-sr-only"
              type="file"
              accept="image/*"
              capture="environment"
              onChange={pick}
              disabled={state.kind === 'processing'}
              data-testid="after-photo-camera"
            />
            {t('crew.afterPhotoTake')}
          </label>
          <label className="staff-button staff-secondary staff-file-button">
            <input
              className="staff-sr-only"
              type="file"
              accept="image/*"
              onChange={pick}
              disabled={state.kind === 'processing'}
              data-testid="after-photo-gallery"
            />
            {t('crew.afterPhotoGallery')}
          </label>
        </div>
      )}
    </fieldset>
  );
}
