import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportStatus } from '../../../../../server/src/contract/common';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { isClosed, needs } from '../../../../../server/src/contract/workflow';
import { hrefFor, linkProps } from '../../route';
import { offeredStatuses } from './actions';
import { DuplicatePicker } from './DuplicatePicker';
import { Feedback } from './Feedback';
import { changeStatus } from './reportApi';
import { useAction } from './useAction';

/**
 * Status change: only the statuses the life cycle allows next (and the person's role), with
 * the reason the resident reads (required to reject), the kept report for a duplicate, and an
 * optional internal note.
 */
export function StatusForm({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (r: StaffReport) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const [to, setTo] = useState<ReportStatus | ''>('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [kept, setKept] = useState<string[]>([]);
  const offered = offeredStatuses(report);
  const need = to ? needs(to) : { reason: false, duplicateOf: false };
  const label = (s: ReportStatus) => t(`townhall.status.${s}`);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!to) return;
    if (need.reason && !reason.trim()) return action.fail(t('moderation.errors.reason_required'));
    if (need.duplicateOf && !kept[0]) return action.fail(t('moderation.errors.duplicate_of_required'));
    const ok = await action.run(
      () =>
        changeStatus(report.id, {
          status: to,
          ...(reason.trim() && isClosed(to) ? { reason: reason.trim() } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(need.duplicateOf ? { duplicateOf: kept[0] } : {}),
        }),
      (r) => t('moderation.status.done', { status: label(r.status) }),
    );
    if (ok) {
      setTo('');
      setReason('');
      setNote('');
      setKept([]);
    }
  }

  return (
    <section className="ra-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('moderation.status.heading')}</h2>
      <p>{t('moderation.status.current', { status: label(report.status) })}</p>
      {report.statusReason && (
        <p className="staff-muted">{t('moderation.status.reason_shown', { reason: report.statusReason })}</p>
      )}
      {report.duplicateOf && (
        <p>
          {t('moderation.status.isDuplicate', { id: report.duplicateOf.slice(0, 8) })}{' '}
          <a {...linkProps(hrefFor('report', { id: report.duplicateOf }))}>
            {t('moderation.status.openKept')}
          </a>
        </p>
      )}
      {offered.length === 0 ? (
        <p className="staff-muted">{t('moderation.status.none')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="ra-field">
            <label htmlFor={`${id}-to`}>{t('moderation.status.next')}</label>
            <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value as ReportStatus | '')}>
              <option value="">{t('moderation.status.choose')}</option>
              {offered.map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </select>
          </div>
          {to && isClosed(to) && to !== 'duplicate' && (
            <div className="ra-field">
              <label htmlFor={`${id}-reason`}>
                {t(need.reason ? 'moderation.status.reasonRequired' : 'moderation.status.reason')}
              </label>
              <textarea
                id={`${id}-reason`}
                rows={2}
                maxLength={1000}
                value={reason}
                aria-required={need.reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
          )}
          {need.duplicateOf && <DuplicatePicker report={report} mode="one" value={kept} onChange={setKept} />}
          <div className="ra-field">
            <label htmlFor={`${id}-note`}>{t('moderation.status.note')}</label>
            <textarea
              id={`${id}-note`}
              rows={2}
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <button type="submit" className="ra-button" disabled={!to || action.busy}>
            {action.busy ? t('moderation.working') : t('moderation.status.submit')}
          </button>
        </form>
      )}
      <Feedback action={action} />
    </section>
  );
}
