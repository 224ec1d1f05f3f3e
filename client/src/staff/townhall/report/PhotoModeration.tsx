import './reportActions.css';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { Feedback } from './Feedback';
import { RedactionEditor, type RedactionChoice } from './RedactionEditor';
import { deleteOriginal, moderatePhoto, photoObjectUrl, redactPhoto } from './reportApi';
import { useAction } from './useAction';

/**
 * Moderation of one photo of a report: hide it from the public, approve it for public display,
 * redact areas of it (faces, number plates) — after which the redacted version is the one
 * served to everybody — and keep or delete the original. Rendered by the report page's gallery
 * under each photo (which shows it); only moderators get the buttons, admins a link to a kept
 * original. The full photo is fetched when the redaction editor opens.
 */
export function PhotoModeration({
  report,
  photo,
  onChanged,
}: {
  report: StaffReport;
  photo: StaffReport['photos'][number];
  onChanged: (report: StaffReport) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState(false);
  const can = report.can.moderate;

  // The editor draws on the full photo: fetched when it opens (the URL changes with each redaction).
  useEffect(() => {
    if (!editing) return;
    let live = true;
    let url: string | null = null;
    setFailed(false);
    photoObjectUrl(photo.url)
      .then((u) => {
        url = u;
        if (live) setSrc(u);
        else URL.revokeObjectURL(u);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      setSrc(null);
      if (url) URL.revokeObjectURL(url);
    };
  }, [editing, photo.url]);

  const flag = (body: { hidden?: boolean; approved?: boolean }) =>
    void action.run(() => moderatePhoto(report.id, photo.n, body), t('moderation.photo.doneFlags'));
  const apply = async (choice: RedactionChoice) => {
    if (await action.run(() => redactPhoto(report.id, photo.n, choice), t('moderation.photo.done'))) {
      setEditing(false);
    }
  };

  const states = [
    photo.public ? t('moderation.photo.public') : t('moderation.photo.notPublic'),
    ...(photo.hidden ? [t('moderation.photo.hidden')] : []),
    photo.moderatedAt ? t('moderation.photo.approved') : t('moderation.photo.notApproved'),
    ...(photo.redacted ? [t('moderation.photo.redacted')] : []),
    ...(photo.redacted
      ? [photo.originalKept ? t('moderation.photo.originalKept') : t('moderation.photo.originalDeleted')]
      : []),
  ];

  return (
    <section className="ra-photo" aria-labelledby={`${id}-h`} data-testid={`photo-${photo.n}`}>
      <h3 id={`${id}-h`}>{t('moderation.photo.heading', { n: photo.n })}</h3>
      {editing &&
        (src ? (
          <RedactionEditor
            photo={photo}
            src={src}
            busy={action.busy}
            onApply={(c) => void apply(c)}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <p role="status">{failed ? t('moderation.photo.failed') : t('moderation.photo.loading')}</p>
        ))}
      <ul className="ra-badges" aria-label={t('moderation.photo.state')}>
        {states.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      {!report.photosPublic && can && <p className="staff-muted">{t('moderation.photo.communeNotPublic')}</p>}
      {can && !editing && (
        <div className="ra-inline">
          <button
            type="button"
            className="staff-small-button"
            disabled={action.busy}
            onClick={() => flag({ hidden: !photo.hidden })}
          >
            {t(photo.hidden ? 'moderation.photo.show' : 'moderation.photo.hide')}
          </button>
          <button
            type="button"
            className="staff-small-button"
            disabled={action.busy}
            onClick={() => flag({ approved: !photo.moderatedAt })}
          >
            {t(photo.moderatedAt ? 'moderation.photo.unapprove' : 'moderation.photo.approve')}
          </button>
          <button
            type="button"
            className="staff-small-button"
            disabled={action.busy}
            onClick={() => setEditing(true)}
          >
            {t('moderation.photo.redact')}
          </button>
          {photo.originalKept && (
            <button
              type="button"
              className="staff-small-button ra-danger"
              disabled={action.busy}
              onClick={() => {
                if (!window.confirm(t('moderation.photo.confirmDelete', { n: photo.n }))) return;
                void action.run(() => deleteOriginal(report.id, photo.n), t('moderation.photo.deleted'));
              }}
            >
              {t('moderation.photo.deleteOriginal')}
            </button>
          )}
        </div>
      )}
      {photo.originalUrl && (
        <p>
          <a href={photo.originalUrl} target="_blank" rel="noopener noreferrer">
            {t('moderation.photo.openOriginal')}
          </a>
        </p>
      )}
      <Feedback action={action} />
    </section>
  );
}
