import { lazy, Suspense, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority } from '../../../../../server/src/contract/common';
import type { CategoryView } from '../../../../../server/src/contract/communes';
import type { ReportEditBody, StaffReport } from '../../../../../server/src/contract/staff';
import { isClosed } from '../../../../../server/src/contract/workflow';
import { parseCoordinate } from './actions';
import { errorText } from './errors';
import { Feedback } from './Feedback';
import { categoriesAt, editReport } from './reportApi';
import { useAction } from './useAction';

const EditLocationMap = lazy(() => import('./EditLocationMap'));

/**
 * Corrections of category, priority and place. Only what changed is sent, so a category change
 * without a priority lets the server apply its rule (the priority follows the new category's
 * default when it was the old one's). A closed report is not edited: reopen it first.
 */
export function EditForm({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (r: StaffReport) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const [categories, setCategories] = useState<CategoryView[] | undefined>();
  const [category, setCategory] = useState(report.category.code);
  const [priority, setPriority] = useState<Priority>(report.priority);
  const [pin, setPin] = useState({ lat: report.lat, lon: report.lon });
  const [typed, setTyped] = useState({ lat: String(report.lat), lon: String(report.lon) });
  const [coordsError, setCoordsError] = useState('');
  const [reason, setReason] = useState('');
  const closed = isClosed(report.status);

  // A new version of the report (after any change, here or in another form) resets the form to it.
  useEffect(() => {
    setCategory(report.category.code);
    setPriority(report.priority);
    setPin({ lat: report.lat, lon: report.lon });
    setTyped({ lat: String(report.lat), lon: String(report.lon) });
    setCoordsError('');
  }, [report.category.code, report.priority, report.lat, report.lon, report.updatedAt]);

  useEffect(() => {
    let live = true;
    categoriesAt(report.lat, report.lon)
      .then((a) => live && setCategories(a.categories))
      .catch((err: unknown) => live && action.fail(errorText(t, err)));
    return () => {
      live = false;
    };
    // The commune's categories, once per report.
  }, [report.id]);

  const move = (lat: number, lon: number) => {
    const p = { lat: Number(lat.toFixed(7)), lon: Number(lon.toFixed(7)) };
    setPin(p);
    setTyped({ lat: String(p.lat), lon: String(p.lon) });
    setCoordsError('');
  };
  const applyTyped = () => {
    const lat = parseCoordinate(typed.lat, 90);
    const lon = parseCoordinate(typed.lon, 180);
    if (lat === undefined || lon === undefined) return setCoordsError(t('moderation.edit.invalidCoords'));
    move(lat, lon);
  };

  const moved = pin.lat !== report.lat || pin.lon !== report.lon;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: ReportEditBody = {
      ...(category !== report.category.code ? { category } : {}),
      ...(priority !== report.priority ? { priority } : {}),
      ...(moved ? { location: pin } : {}),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    };
    if (!body.category && !body.priority && !body.location) return action.fail(t('moderation.edit.nothing'));
    if (await action.run(() => editReport(report.id, body), t('moderation.edit.done'))) setReason('');
  }

  const catLabel = (c: { labelFr: string; labelEn: string }) =>
    i18n.language === 'en' ? c.labelEn : c.labelFr;
  return (
    <section className="ra-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('moderation.edit.heading')}</h2>
      {closed && (
        <p className="ra-warn">{t('moderation.closed', { status: t(`townhall.status.${report.status}`) })}</p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset disabled={closed || action.busy} className="ra-plain">
          <div className="ra-row">
            <div className="ra-field">
              <label htmlFor={`${id}-cat`}>{t('moderation.edit.category')}</label>
              <select id={`${id}-cat`} value={category} onChange={(e) => setCategory(e.target.value)}>
                {!categories?.some((c) => c.code === report.category.code) && (
                  <option value={report.category.code}>{catLabel(report.category)}</option>
                )}
                {categories?.map((c) => (
                  <option key={c.code} value={c.code}>
                    {catLabel(c)}
                  </option>
                ))}
              </select>
              {!categories && <p className="staff-muted">{t('moderation.edit.loadingCategories')}</p>}
            </div>
            <div className="ra-field">
              <label htmlFor={`${id}-prio`}>{t('moderation.edit.priority')}</label>
              <select
                id={`${id}-prio`}
                value={priority}
                aria-describedby={`${id}-prio-hint`}
                onChange={(e) => setPriority(e.target.value as Priority)}
              >
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`townhall.priority.${p}`)}
                  </option>
                ))}
              </select>
              <p id={`${id}-prio-hint`} className="staff-muted">
                {t('moderation.edit.priorityHint')}
              </p>
            </div>
          </div>
          <fieldset className="ra-fieldset">
            <legend>{t('moderation.edit.location')}</legend>
            <Suspense fallback={<div className="ra-map" aria-hidden="true" />}>
              <EditLocationMap
                lat={pin.lat}
                lon={pin.lon}
                onMove={move}
                labels={{ map: t('moderation.edit.map'), pin: t('moderation.edit.pin') }}
              />
            </Suspense>
            <div className="ra-row">
              <div className="ra-field">
                <label htmlFor={`${id}-lat`}>{t('moderation.edit.lat')}</label>
                <input
                  id={`${id}-lat`}
                  inputMode="decimal"
                  value={typed.lat}
                  aria-invalid={coordsError ? true : undefined}
                  onChange={(e) => setTyped({ ...typed, lat: e.target.value })}
                />
              </div>
              <div className="ra-field">
                <label htmlFor={`${id}-lon`}>{t('moderation.edit.lon')}</label>
                <input
                  id={`${id}-lon`}
                  inputMode="decimal"
                  value={typed.lon}
                  aria-invalid={coordsError ? true : undefined}
                  onChange={(e) => setTyped({ ...typed, lon: e.target.value })}
                />
              </div>
              <button type="button" className="staff-small-button ra-end" onClick={applyTyped}>
                {t('moderation.edit.applyCoords')}
              </button>
            </div>
            {coordsError && (
              <p role="alert" className="ra-error">
                {coordsError}
              </p>
            )}
            {moved && (
              <p className="staff-muted" data-testid="moved">
                {t('moderation.edit.moved', { lat: pin.lat.toFixed(6), lon: pin.lon.toFixed(6) })}
              </p>
            )}
          </fieldset>
          <div className="ra-field">
            <label htmlFor={`${id}-reason`}>{t('moderation.edit.reason')}</label>
            <input
              id={`${id}-reason`}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <button type="submit" className="ra-button">
            {action.busy ? t('moderation.working') : t('moderation.edit.submit')}
          </button>
        </fieldset>
      </form>
      <Feedback action={action} />
    </section>
  );
}
