import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../../server/src/contract/limits';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { Feedback } from './Feedback';
import { moderateReport } from './reportApi';
import { useAction } from './useAction';

/**
 * What the public sees of the report: hidden or not, and the text shown instead of the
 * resident's original (which is kept, and shown here).
 */
export function PublicForm({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (r: StaffReport) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const [text, setText] = useState(report.publicDescription ?? report.description ?? '');
  const [reason, setReason] = useState('');
  useEffect(() => {
    setText(report.publicDescription ?? report.description ?? '');
  }, [report.publicDescription, report.description]);
  if (!report.can.moderate) return null;
  const withReason = reason.trim() ? { reason: reason.trim() } : {};

  return (
    <section className="ra-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('moderation.public.heading')}</h2>
      <p className={report.hidden ? 'ra-warn' : ''} data-testid="public-visibility">
        {t(report.hidden ? 'moderation.public.hidden' : 'moderation.public.visible')}
      </p>
      <div className="ra-field">
        <label htmlFor={`${id}-reason`}>{t('moderation.public.reason')}</label>
        <input
          id={`${id}-reason`}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <button
        type="button"
        className="ra-button ra-secondary"
        disabled={action.busy}
        onClick={() =>
          void action.run(
            () => moderateReport(report.id, { hidden: !report.hidden, ...withReason }),
            t(report.hidden ? 'moderation.public.doneShown' : 'moderation.public.doneHidden'),
          )
        }
      >
        {t(report.hidden ? 'moderation.public.show' : 'moderation.public.hide')}
      </button>

      <div className="ra-field">
        <label htmlFor={`${id}-text`}>{t('moderation.public.text')}</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          maxLength={LIMITS.maxDescription}
          value={text}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setText(e.target.value)}
        />
        <p id={`${id}-hint`} className="staff-muted">
          {t('moderation.public.textHint')}{' '}
          {report.description
            ? t('moderation.public.original', { text: report.description })
            : t('moderation.public.noOriginal')}
        </p>
        {report.publicDescription !== null && <p className="ra-warn">{t('moderation.public.edited')}</p>}
      </div>
      <div className="ra-inline">
        <button
          type="button"
          className="ra-button"
          disabled={action.busy}
          onClick={() =>
            void action.run(
              () => moderateReport(report.id, { publicDescription: text.trim() || null, ...withReason }),
              t('moderation.public.doneText'),
            )
          }
        >
          {t('moderation.public.publish')}
        </button>
        {report.publicDescription !== null && (
          <button
            type="button"
            className="staff-small-button"
            disabled={action.busy}
            onClick={() =>
              void action.run(
                () => moderateReport(report.id, { publicDescription: null, ...withReason }),
                t('moderation.public.doneText'),
              )
            }
          >
            {t('moderation.public.restore')}
          </button>
        )}
      </div>
      <Feedback action={action} />
    </section>
  );
}
