import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView } from '../../../../server/src/contract/plans';
import { ApiError } from '../api';
import { clockTime, getPlan, listPlans, localDate, type StaffEvent } from './plansApi';
import { RoundSheet } from './RoundSheet';

/**
 * The day's rounds with each stop's status, kept live by the staff event stream: a stop the
 * crew marks shows up here without a reload. Any round prints as a round sheet.
 */
export function PlansBoard() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [date, setDate] = useState(() => localDate(new Date()));
  const [plans, setPlans] = useState<PlanView[] | undefined>();
  const [error, setError] = useState('');
  const [sheet, setSheet] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setPlans(undefined);
    listPlans(date)
      .then((items) => live && setPlans(items))
      .catch((err: unknown) => live && setError(err instanceof ApiError ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [date]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events', { withCredentials: true });
    const refresh = (planId: string) =>
      getPlan(planId)
        .then((p) => setPlans((old) => old?.map((o) => (o.id === p.id ? p : o))))
        .catch(() => undefined);
    const onEvent = (e: MessageEvent<string>) => {
      try {
        const event = JSON.parse(e.data) as StaffEvent;
        if (event.planId) void refresh(event.planId);
      } catch {
        // a malformed event is ignored; the next one refreshes
      }
    };
    source.addEventListener('report', onEvent);
    return () => source.close();
  }, []);

  const open = plans?.find((p) => p.id === sheet);
  if (open) return <RoundSheet plan={open} onClose={() => setSheet(undefined)} />;

  return (
    <section className="staff-card staff-wide" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('board.heading')}</h1>
      <div className="staff-field">
        <label htmlFor={`${id}-date`}>{t('common.date')}</label>
        <input id={`${id}-date`} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      <p className="staff-hint">{t('board.live')}</p>
      {error && (
        <p role="alert" className="staff-error">
          {t('common.error', { message: error })}
        </p>
      )}
      {plans === undefined ? (
        <p>{t('common.loading')}</p>
      ) : plans.length === 0 ? (
        <p>{t('board.none')}</p>
      ) : (
        <div className="staff-plan-grid">
          {plans.map((p) => {
            const handled = p.stops.filter((s) => s.status !== 'pending').length;
            return (
              <article
                key={p.id}
                className="staff-plan"
                aria-labelledby={`${id}-${p.id}`}
                data-plan-id={p.id}
              >
                <h2 id={`${id}-${p.id}`}>
                  {p.crew.name} — {t(`common.workType_${p.workType}`, { defaultValue: p.workType })}
                </h2>
                <p>
                  <span className={`staff-status staff-status-${p.status}`}>
                    {t(`common.planStatus_${p.status}`)}
                  </span>{' '}
                  · {t('board.progress', { done: handled, total: p.stops.length })}
                </p>
                <ol className="staff-plan-stops">
                  {p.stops.map((s) => (
                    <li key={s.reportId} data-report-id={s.reportId} data-status={s.status}>
                      <span>
                        {s.position}. {clockTime(s.arrivalMinute, p.dayStartMinute)}{' '}
                        {i18n.language === 'en' ? s.report.category.labelEn : s.report.category.labelFr}
                      </span>
                      <span className={`staff-status staff-status-${s.status}`}>
                        {t(`common.status_${s.status}`)}
                      </span>
                    </li>
                  ))}
                </ol>
                <button type="button" className="staff-small-button" onClick={() => setSheet(p.id)}>
                  {t('board.sheet')}
                </button>
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}
