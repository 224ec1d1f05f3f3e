import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView, StopOutcome, StopUpdateRequest } from '../../../../server/src/contract/plans';
import { routeColour } from '../plans/colours';
import { LazyRouteMap } from '../plans/LazyRouteMap';
import { clockTime } from '../plans/plansApi';
import type { OutboxItem } from './outbox';

/** One round for the crew: map, ordered stops, and a stop's actions (done, not fixable, skip). */
export function CrewPlan({
  plan,
  rejected,
  onBack,
  onUpdate,
}: {
  plan: PlanView;
  rejected: OutboxItem[];
  onBack: () => void;
  onUpdate: (reportId: string, body: StopUpdateRequest) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [openStop, setOpenStop] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState('');
  const routes = useMemo(
    () => [
      {
        key: plan.id,
        colour: routeColour(0),
        depot: plan.depot,
        stops: plan.stops.map((s) => ({
          reportId: s.reportId,
          lat: s.report.lat,
          lon: s.report.lon,
          label: String(s.position),
        })),
      },
    ],
    [plan],
  );
  const label = (s: PlanView['stops'][number]) =>
    i18n.language === 'en' ? s.report.category.labelEn : s.report.category.labelFr;
  const stop = plan.stops.find((s) => s.reportId === openStop);

  async function record(outcome: StopOutcome) {
    if (!stop) return;
    const body: StopUpdateRequest = {
      status: outcome,
      at: new Date().toISOString(),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    await onUpdate(stop.reportId, body);
    setNotice(t('crew.recorded', { n: stop.position, status: t(`common.status_${outcome}`) }));
    setNote('');
    setOpenStop(undefined);
  }

  return (
    <section className="staff-card" aria-labelledby={`${id}-title`}>
      <button type="button" className="staff-link-button" onClick={onBack}>
        ← {t('common.back')}
      </button>
      <h1 id={`${id}-title`}>
        {t('crew.planTitle', {
          crew: plan.crew.name,
          workType: t(`common.workType_${plan.workType}`, { defaultValue: plan.workType }),
        })}
      </h1>
      <p className="staff-notice" role="status">
        {notice}
      </p>
      {rejected.map((r) => (
        <p key={r.key} className="staff-error">
          {t('crew.rejected', {
            code: r.rejected,
            n: plan.stops.find((s) => s.reportId === r.reportId)?.position ?? '?',
          })}
        </p>
      ))}

      {stop ? (
        <div className="staff-stop" aria-labelledby={`${id}-stop`} role="group">
          <h2 id={`${id}-stop`}>{t('crew.stopTitle', { n: stop.position, category: label(stop) })}</h2>
          <p>
            {t('crew.arrival', { time: clockTime(stop.arrivalMinute) })} ·{' '}
            <span className={`staff-status staff-status-${stop.status}`}>
              {t(`common.status_${stop.status}`)}
            </span>
          </p>
          {stop.report.thumbUrl && (
            <img className="staff-photo" src={stop.report.thumbUrl} alt={t('crew.photo')} loading="lazy" />
          )}
          <p>{stop.report.description ?? t('crew.noDescription')}</p>
          <a
            className="staff-button staff-secondary staff-a-button"
            href={`geo:${stop.report.lat},${stop.report.lon}`}
          >
            {t('crew.navigate')}
          </a>
          <div className="staff-field">
            <label htmlFor={`${id}-note`}>{t('crew.note')}</label>
            <input id={`${id}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="staff-actions">
            <button type="button" className="staff-button staff-done" onClick={() => void record('done')}>
              {t('crew.done')}
            </button>
            <button
              type="button"
              className="staff-button staff-secondary"
              onClick={() => void record('not_fixable')}
            >
              {t('crew.notFixable')}
            </button>
            <button
              type="button"
              className="staff-button staff-secondary"
              onClick={() => void record('skipped')}
            >
              {t('crew.skip')}
            </button>
          </div>
          <button type="button" className="staff-link-button" onClick={() => setOpenStop(undefined)}>
            ← {t('crew.stops')}
          </button>
        </div>
      ) : (
        <>
          <LazyRouteMap routes={routes} label={t('common.stopsMap')} />
          <h2>{t('crew.stops')}</h2>
          <ol className="staff-stops">
            {plan.stops.map((s) => (
              <li key={s.reportId}>
                <button type="button" className="staff-stop-row" onClick={() => setOpenStop(s.reportId)}>
                  <span
                    className="staff-stop-number"
                    style={{ background: routeColour(0) }}
                    aria-hidden="true"
                  >
                    {s.position}
                  </span>
                  {s.report.thumbUrl ? (
                    <img className="staff-thumb" src={s.report.thumbUrl} alt="" loading="lazy" />
                  ) : (
                    <span className="staff-thumb" aria-hidden="true" />
                  )}
                  <span className="staff-stop-text">
                    <strong>
                      {s.position}. {label(s)}
                    </strong>
                    <span>{t('crew.arrival', { time: clockTime(s.arrivalMinute) })}</span>
                    <span className="staff-stop-desc">{s.report.description ?? t('crew.noDescription')}</span>
                    <span className={`staff-status staff-status-${s.status}`}>
                      {t(`common.status_${s.status}`)}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
