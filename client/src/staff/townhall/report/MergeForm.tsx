import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { hrefFor, linkProps } from '../../route';
import { DuplicatePicker } from './DuplicatePicker';
import { Feedback } from './Feedback';
import { mergeInto, unmerge } from './reportApi';
import { useAction } from './useAction';

/**
 * Merging duplicates into this report (all chosen at once, all or none), and undoing it
 * (reopening its duplicates). A report that is itself a duplicate is not merged into.
 */
export function MergeForm({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (r: StaffReport) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  if (report.status === 'duplicate') return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (chosen.length === 0) return;
    const count = chosen.length;
    const ok = await action.run(
      () => mergeInto(report.id, { duplicates: chosen, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
      t('moderation.merge.done', { count }),
    );
    if (ok) {
      setChosen([]);
      setReason('');
    }
  }

  return (
    <section className="ra-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('moderation.merge.heading')}</h2>
      <p className="staff-muted">{t('moderation.merge.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <DuplicatePicker report={report} mode="many" value={chosen} onChange={setChosen} />
        <div className="ra-field">
          <label htmlFor={`${id}-reason`}>{t('moderation.merge.reason')}</label>
          <input
            id={`${id}-reason`}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <div className="ra-inline">
          <button type="submit" className="ra-button" disabled={chosen.length === 0 || action.busy}>
            {chosen.length === 0
              ? t('moderation.merge.submitNone')
              : t('moderation.merge.submit', { count: chosen.length })}
          </button>
        </div>
      </form>
      {report.duplicates.length > 0 && (
        <>
          <h3>{t('moderation.merge.current')}</h3>
          <ul className="ra-zones" data-testid="current-duplicates">
            {report.duplicates.map((d) => (
              <li key={d.id}>
                <a {...linkProps(hrefFor('report', { id: d.id }))}>
                  {t('moderation.picker.item', {
                    category: i18n.language === 'en' ? d.category.labelEn : d.category.labelFr,
                    place: d.address ?? t('moderation.picker.noPlace'),
                    status: t(`townhall.status.${d.status}`),
                    id: d.id.slice(0, 8),
                  })}
                </a>{' '}
                <button
                  type="button"
                  className="staff-small-button"
                  disabled={action.busy}
                  onClick={() =>
                    void action.run(
                      () => unmerge(report.id, { duplicates: [d.id] }),
                      t('moderation.merge.reopened'),
                    )
                  }
                >
                  {t('moderation.merge.reopenOne', { id: d.id.slice(0, 8) })}
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="staff-small-button"
            disabled={action.busy}
            onClick={() => void action.run(() => unmerge(report.id, {}), t('moderation.merge.reopened'))}
          >
            {t('moderation.merge.reopenAll')}
          </button>
        </>
      )}
      <Feedback action={action} />
    </section>
  );
}
