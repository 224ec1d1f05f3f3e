import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView, StopOutcome, StopUpdateRequest } from '../../../../server/src/contract/plans';
import { routeColour } from '../plans/colours';
import { LazyRouteMap } from '../plans/LazyRouteMap';
import { clockTime } from '../plans/plansApi';
import { useObjectUrl } from '../../mine/useObjectUrl';
import { AfterPhotoPicker, type AfterPhotoState } from './AfterPhotoPicker';
import type { OutboxItem } from './outbox';

/**
 * One round for the crew: map, ordered stops, and a stop's actions (done, not fixable, skip)
 * with an optional after-photo.
 */
export function CrewPlan({
  plan,
  rejected,
  pendingPhotos,
  onBack,
  onUpdate,
}: {
  plan: PlanView;
  rejected: OutboxItem[];
  /** After-photos still in the outbox, by report id (shown until the server has them). */
  pendingPhotos: ReadonlyMap<string, Blob>;
  onBack: () => void;
  onUpdate: (reportId: string, body: StopUpdateRequest, photo?: Blob) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [openStop, setOpenStop] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState('');
  // The photo being taken belongs to one stop: a late answer of the photo worker for another is ignored.
  const [photo, setPhoto] = useState<{ reportId: string; state: AfterPhotoState } | undefined>();
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
  const photoState: AfterPhotoState =
    stop && photo?.reportId === stop.reportId ? photo.state : { kind: 'none' };
  const pendingPhoto = useObjectUrl(stop ? pendingPhotos.get(stop.reportId) : undefined);
  const shownAfterPhoto = pendingPhoto ?? stop?.afterPhotoUrl ?? null;

  function openOne(reportId: string | undefined) {
    setOpenStop(reportId);
    setPhoto(undefined);
    setNote('');
  }

  async function record(outcome: StopOutcome) {
    if (!stop || photoState.kind === 'processing') return;
    const body: StopUpdateRequest = {
      status: outcome,
      at: new Date().toISOString(),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    await onUpdate(stop.reportId, body, photoState.kind === 'ready' ? photoState.blob : undefined);
    setNotice(t('crew.recorded', { n: stop.position, status: t(`common.status_${outcome}`) }));
    openOne(undefined);
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
            {t('crew.arrival', { time: clockTime(stop.arrivalMinute, plan.dayStartMinute) })} ·{' '}
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
          {shownAfterPhoto && (
            <figure className="staff-figure">
              <img className="staff-photo" src={shownAfterPhoto} alt={t('crew.afterPhotoSaved')} />
              <figcaption>
                {pendingPhoto ? t('crew.afterPhotoWaiting') : t('crew.afterPhotoSaved')}
              </figcaption>
            </figure>
          )}
          <AfterPhotoPicker
            id={`${id}-after`}
            state={photoState}
            onChange={(state) => setPhoto({ reportId: stop.reportId, state })}
          />
          <div className="staff-field">
            <label htmlFor={`${id}-note`}>{t('crew.note')}</label>
            <input id={`${id}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="staff-actions">
            <button
              type="button"
              className="staff-button staff-done"
              disabled={photoState.kind === 'processing'}
              onClick={() => void record('done')}
            >
              {t('crew.done')}
            </button>
            <button
              type="button"
              className="staff-button staff-secondary"
              disabled={photoState.kind === 'processing'}
              onClick={() => void record('not_fixable')}
            >
              {t('crew.notFixable')}
            </button>
            <button
              type="button"
              className="staff-button staff-secondary"
              disabled={photoState.kind === 'processing'}
              onClick={() => void record('skipped')}
            >
              {t('crew.skip')}
            </button>
          </div>
          <button type="button" className="staff-link-button" onClick={() => openOne(undefined)}>
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
                <button type="button" className="staff-stop-row" onClick={() => openOne(s.reportId)}>
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
                    <span>
                      {t('crew.arrival', { time: clockTime(s.arrivalMinute, plan.dayStartMinute) })}
                    </span>
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
