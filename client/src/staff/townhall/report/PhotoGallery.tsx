import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { PhotoModeration } from './PhotoModeration';

/**
 * A report's photos: thumbnails from the authorised photo URLs (the session cookie is the
 * authorisation), the full photo in a dialog on click (Escape or "Close" returns to the
 * thumbnail), and each photo's moderation tools under it.
 */
export function PhotoGallery({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (report: StaffReport) => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<StaffReport['photos'][number] | null>(null);
  const count = report.photos.length;
  const show = (photo: StaffReport['photos'][number]) => {
    setOpen(photo);
    dialog.current?.showModal();
  };
  return (
    <section className="rp-card" aria-labelledby="rp-photos">
      <h2 id="rp-photos">{t('reportPage.photos')}</h2>
      {count === 0 ? (
        <p className="hs-muted">{t('reportPage.noPhotos')}</p>
      ) : (
        <ul className="rp-photos">
          {report.photos.map((photo) => (
            <li key={photo.n}>
              <button
                type="button"
                className="hs-photo-button"
                aria-label={t('reportPage.openPhoto', { n: photo.n })}
                onClick={() => show(photo)}
              >
                <img
                  src={photo.thumbUrl}
                  alt={t('reportPage.photo', { n: photo.n, count })}
                  width={200}
                  height={150}
                />
              </button>
              <PhotoModeration report={report} photo={photo} onChanged={onChanged} />
            </li>
          ))}
        </ul>
      )}
      <dialog
        ref={dialog}
        className="rp-dialog"
        aria-label={open ? t('reportPage.photo', { n: open.n, count }) : undefined}
        onClose={() => setOpen(null)}
      >
        <div className="rp-dialog-bar">
          <span>{open ? t('reportPage.photo', { n: open.n, count }) : ''}</span>
          <button type="button" className="hs-button" onClick={() => dialog.current?.close()}>
            {t('reportPage.closePhoto')}
          </button>
        </div>
        {open && (
          <img
            src={open.url}
            alt={t('reportPage.photo', { n: open.n, count })}
            width={open.width}
            height={open.height}
          />
        )}
      </dialog>
    </section>
  );
}
