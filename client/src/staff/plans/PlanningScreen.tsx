import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView, TravelInfo } from '../../../../server/src/contract/plans';
import { ApiError } from '../api';
import { routeColour } from './colours';
import { moveStop, moveUp, roundOfField, type Draft } from './drafts';
import { LazyRouteMap } from './LazyRouteMap';
import { clockTime, listCrews, localDate, previewPlans, publishPlan, savePlans } from './plansApi';

/**
 * The supervisor's planning: pick a day, crews and work types, "Propose", adjust (move or
 * remove stops), save (the server re-times and may refuse), then publish.
 */
export function PlanningScreen({
  communes,
}: {
  communes: Array<{ id: number; slug: string; name: string }>;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [communeId, setCommuneId] = useState(communes[0]?.id ?? 0);
  const [date, setDate] = useState(() => localDate(new Date(), 1));
  const [crewIds, setCrewIds] = useState<number[]>([]);
  const [workTypes, setWorkTypes] = useState<string[]>([]);
  const [knownCrews, setKnownCrews] = useState<Array<{ id: number; name: string }>>([]);
  const [knownTypes, setKnownTypes] = useState<string[]>([]);
  const [drafts, setDrafts] = useState<Draft[] | undefined>();
  const [summary, setSummary] = useState('');
  const [travel, setTravel] = useState<TravelInfo | undefined>();
  const [saved, setSaved] = useState<PlanView[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const wt = (w: string) => t(`common.workType_${w}`, { defaultValue: w });

  // The commune's crews, so the filter is there before the first proposal.
  const slug = communes.find((c) => c.id === communeId)?.slug;
  useEffect(() => {
    if (!slug) return;
    let live = true;
    listCrews(slug)
      .then((crews) => {
        if (!live) return;
        const active = crews.filter((c) => c.active);
        setKnownCrews(active.map((c) => ({ id: c.id, name: c.name })));
        setKnownTypes((old) => [...new Set([...old, ...active.flatMap((c) => c.workTypes)])]);
        setCrewIds((ids) => ids.filter((id) => active.some((c) => c.id === id)));
      })
      .catch(() => undefined); // the filter then appears with the first proposal, as before
    return () => {
      live = false;
    };
  }, [slug]);

  async function propose(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    setSaved(undefined);
    try {
      const answer = await previewPlans({
        communeId,
        date,
        ...(crewIds.length ? { crewIds } : {}),
        ...(workTypes.length ? { workTypes } : {}),
      });
      setDrafts(answer.plans.map((p) => ({ ...p, changed: false })));
      setTravel(answer.travel);
      setSummary(
        t('planning.summary', {
          planned: answer.stats.planned,
          reports: answer.stats.reports,
          unplanned: answer.unplanned.length,
        }),
      );
      setKnownCrews((old) => {
        const all = new Map(old.map((c) => [c.id, c]));
        for (const p of answer.plans)
          if (p.crew.id !== null) all.set(p.crew.id, { id: p.crew.id, name: p.crew.name });
        return [...all.values()];
      });
      setKnownTypes((old) => [...new Set([...old, ...answer.plans.map((p) => p.workType)])]);
    } catch (err) {
      setError(t('common.error', { message: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    if (!drafts) return;
    const shownIndex: number[] = [];
    const body = drafts.flatMap((d, i) => {
      if (d.stops.length === 0 || d.crew.id === null) return [];
      shownIndex.push(i);
      return [{ crewId: d.crew.id, workType: d.workType, reportIds: d.stops.map((s) => s.reportId) }];
    });
    setBusy(true);
    setError('');
    try {
      setSaved(await savePlans(communeId, date, body));
      setNotice(t('planning.saved'));
    } catch (err) {
      if (err instanceof ApiError) {
        const n = roundOfField(err.field, shownIndex) ?? '?';
        const known = err.code === 'plan_exceeds_day' || err.code === 'report_not_plannable';
        setError(t(known ? `planErrors.${err.code}` : 'planErrors.other', { n, message: err.message }));
      } else setError(t('planErrors.other', { message: String(err) }));
    } finally {
      setBusy(false);
    }
  }

  async function publish(ids: string[]) {
    setBusy(true);
    setError('');
    try {
      for (const planId of ids) {
        const p = await publishPlan(planId);
        setSaved((old) => old?.map((o) => (o.id === p.id ? p : o)));
      }
    } catch (err) {
      setError(t('common.error', { message: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  const shown: Array<Omit<Draft, 'changed'> & { changed: boolean; saved?: PlanView }> = useMemo(
    () =>
      saved
        ? saved.map((p) => ({
            ...p,
            fits: p.totals.totalMinutes <= p.totals.workingMinutes,
            changed: false,
            saved: p,
          }))
        : (drafts ?? []),
    [saved, drafts],
  );
  const routes = shown.map((d, i) => ({
    key: `${i}`,
    colour: routeColour(i),
    depot: d.depot,
    stops: d.stops.map((s) => ({
      reportId: s.reportId,
      lat: s.report.lat,
      lon: s.report.lon,
      label: String(s.position),
    })),
  }));

  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  return (
    <section className="staff-card staff-wide" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('planning.heading')}</h1>
      <form onSubmit={propose} className="staff-plan-form">
        {communes.length > 1 && (
          <div className="staff-field">
            <label htmlFor={`${id}-commune`}>{t('planning.commune')}</label>
            <select
              id={`${id}-commune`}
              value={communeId}
              onChange={(e) => setCommuneId(Number(e.target.value))}
            >
              {communes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="staff-field">
          <label htmlFor={`${id}-date`}>{t('common.date')}</label>
          <input
            id={`${id}-date`}
            type="date"
            required
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        {knownCrews.length > 0 && (
          <fieldset className="staff-fieldset">
            <legend>{t('planning.crews')}</legend>
            <p className="staff-hint">{t('planning.allHint')}</p>
            {knownCrews.map((c) => (
              <label key={c.id} className="staff-check">
                <input
                  type="checkbox"
                  checked={crewIds.includes(c.id)}
                  onChange={() => setCrewIds((l) => toggle(l, c.id))}
                />
                {c.name}
              </label>
            ))}
          </fieldset>
        )}
        {knownTypes.length > 0 && (
          <fieldset className="staff-fieldset">
            <legend>{t('planning.workTypes')}</legend>
            <p className="staff-hint">{t('planning.allHint')}</p>
            {knownTypes.map((w) => (
              <label key={w} className="staff-check">
                <input
                  type="checkbox"
                  checked={workTypes.includes(w)}
                  onChange={() => setWorkTypes((l) => toggle(l, w))}
                />
                {wt(w)}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="staff-button" disabled={busy} aria-busy={busy}>
          {busy && !drafts ? t('planning.proposing') : t('planning.propose')}
        </button>
      </form>

      <div role="alert" className={error ? 'staff-error' : 'staff-error-empty'}>
        {error && (
          <>
            <strong>{t('planErrors.heading')}</strong>
            <p>{error}</p>
          </>
        )}
      </div>
      <p role="status" className="staff-notice">
        {notice}
      </p>

      {shown.length > 0 && (
        <>
          <p>{summary}</p>
          {travel && <TravelNote travel={travel} />}
          <LazyRouteMap routes={routes} label={t('common.stopsMap')} />
          <div className="staff-plan-grid">
            {shown.map((d, i) => (
              <article
                key={d.saved?.id ?? `${d.crew.id}-${d.workType}-${i}`}
                className="staff-plan"
                style={{ borderTopColor: routeColour(i) }}
                aria-labelledby={`${id}-plan-${i}`}
              >
                <h2 id={`${id}-plan-${i}`}>
                  {t('planning.planN', { n: i + 1 })} — {d.crew.name} — {wt(d.workType)}
                </h2>
                <p>
                  {t('planning.totals', {
                    travel: Math.round(d.totals.travelMinutes),
                    service: Math.round(d.totals.serviceMinutes),
                    total: Math.round(d.totals.totalMinutes),
                    working: d.totals.workingMinutes,
                  })}
                </p>
                <p className={d.fits ? 'staff-ok' : 'staff-bad'}>
                  {d.fits ? t('planning.fits') : t('planning.tooLong')}
                </p>
                {d.changed && <p className="staff-hint">{t('planning.changed')}</p>}
                {d.saved && (
                  <p>
                    <span className={`staff-status staff-status-${d.saved.status}`}>
                      {t(`common.planStatus_${d.saved.status}`)}
                    </span>{' '}
                    {d.saved.status === 'draft' && (
                      <button
                        type="button"
                        className="staff-small-button"
                        disabled={busy}
                        onClick={() => void publish([d.saved!.id])}
                      >
                        {t('planning.publish')}
                      </button>
                    )}
                  </p>
                )}
                {d.stops.length === 0 ? (
                  <p>{t('planning.empty')}</p>
                ) : (
                  <ol className="staff-plan-stops">
                    {d.stops.map((s) => (
                      <li key={s.reportId}>
                        <span>
                          {s.position}. {!d.changed && `${clockTime(s.arrivalMinute, d.dayStartMinute)} `}
                          {i18n.language === 'en' ? s.report.category.labelEn : s.report.category.labelFr}
                          {s.report.description ? ` — ${s.report.description}` : ''}
                        </span>
                        {!saved && drafts && s.position > 1 && (
                          <button
                            type="button"
                            className="staff-small-button"
                            aria-label={t('planning.up', { n: s.position })}
                            onClick={() => setDrafts(moveUp(drafts, i, s.reportId))}
                          >
                            ↑
                          </button>
                        )}
                        {!saved && drafts && (
                          <select
                            aria-label={t('planning.moveTo', { n: s.position })}
                            value=""
                            onChange={(e) =>
                              setDrafts(moveStop(drafts, i, s.reportId, Number(e.target.value)))
                            }
                          >
                            <option value="">{t('planning.keep')}</option>
                            {drafts.map((o, k) =>
                              k !== i && o.workType === d.workType ? (
                                <option key={k} value={k}>
                                  {t('planning.moveOption', { crew: o.crew.name, n: k + 1 })}
                                </option>
                              ) : null,
                            )}
                            <option value={-1}>{t('planning.remove')}</option>
                          </select>
                        )}
                      </li>
                    ))}
                  </ol>
                )}
              </article>
            ))}
          </div>
          {!saved ? (
            <button type="button" className="staff-button" disabled={busy} onClick={() => void save()}>
              {busy ? t('planning.saving') : t('planning.save')}
            </button>
          ) : (
            saved.some((p) => p.status === 'draft') && (
              <button
                type="button"
                className="staff-button"
                disabled={busy}
                onClick={() => void publish(saved.filter((p) => p.status === 'draft').map((p) => p.id))}
              >
                {t('planning.publishAll')}
              </button>
            )
          )}
        </>
      )}
    </section>
  );
}

/** Which travel times the proposal used; a fallback is a warning the supervisor can pass on. */
function TravelNote({ travel }: { travel: TravelInfo }) {
  const { t } = useTranslation();
  if (travel.model === 'road_network') return <p className="staff-hint">{t('planning.travelRoad')}</p>;
  if (!travel.fallback) return <p className="staff-hint">{t('planning.travelGreatCircle')}</p>;
  return (
    <p className="staff-warning" data-testid="travel-fallback">
      {t('planning.travelFallback', {
        reason: t(`planning.travelReason_${travel.fallback.reason}`),
        message: travel.fallback.message,
      })}
    </p>
  );
}
