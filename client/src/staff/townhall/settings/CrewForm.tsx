import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { WorkTypeCode, type CrewView } from '../../../../../server/src/contract/settings';

/** The fields of the crew form. */
export interface CrewValues {
  name: string;
  workTypes: string[];
  workingMinutes: number;
  speedKmh: number;
}

/** Adds or edits a crew, checked with the contract's rules before it is sent. */
export function CrewForm({
  initial,
  heading,
  busy,
  onSubmit,
  onCancel,
}: {
  initial?: CrewView;
  heading: string;
  busy: boolean;
  onSubmit: (v: CrewValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(initial?.name ?? '');
  const [workTypes, setWorkTypes] = useState(initial?.workTypes.join(', ') ?? '');
  const [minutes, setMinutes] = useState(String(initial?.workingMinutes ?? 450));
  const [speed, setSpeed] = useState(String(initial?.speedKmh ?? 40));
  const [problem, setProblem] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    const types = workTypes
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
    const m = Number(minutes);
    const s = Number(speed);
    const bad = !name.trim()
      ? t('settings.crews.invalidName')
      : !types.every((w) => WorkTypeCode.safeParse(w).success) || new Set(types).size !== types.length
        ? t('settings.crews.invalidWorkTypes')
        : !(Number.isInteger(m) && m >= 30 && m <= 900)
          ? t('settings.crews.invalidMinutes')
          : !(Number.isInteger(s) && s >= 5 && s <= 130)
            ? t('settings.crews.invalidSpeed')
            : '';
    setProblem(bad);
    if (!bad) onSubmit({ name: name.trim(), workTypes: types, workingMinutes: m, speedKmh: s });
  }

  return (
    <form className="staff-settings-form" onSubmit={submit} aria-labelledby={`${id}-h`} noValidate>
      <h3 id={`${id}-h`}>{heading}</h3>
      {problem && (
        <p className="staff-error" role="alert">
          {problem}
        </p>
      )}
      <div className="staff-settings-grid">
        <div className="staff-field">
          <label htmlFor={`${id}-name`}>{t('settings.crews.name')}</label>
          <input id={`${id}-name`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-types`}>{t('settings.crews.workTypes')}</label>
          <input
            id={`${id}-types`}
            value={workTypes}
            aria-describedby={`${id}-types-hint`}
            onChange={(e) => setWorkTypes(e.target.value)}
          />
          <span id={`${id}-types-hint`} className="staff-hint">
            {t('settings.crews.workTypesHint')}
          </span>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-minutes`}>{t('settings.crews.minutes')}</label>
          <input
            id={`${id}-minutes`}
            type="number"
            inputMode="numeric"
            min={30}
            max={900}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-speed`}>{t('settings.crews.speed')}</label>
          <input
            id={`${id}-speed`}
            type="number"
            inputMode="numeric"
            min={5}
            max={130}
            value={speed}
            onChange={(e) => setSpeed(e.target.value)}
          />
        </div>
      </div>
      <div className="staff-form-actions">
        <button type="submit" className="staff-button staff-inline-button" disabled={busy} aria-busy={busy}>
          {busy ? t('settings.saving') : t('settings.save')}
        </button>
        <button type="button" className="staff-button staff-secondary staff-inline-button" onClick={onCancel}>
          {t('settings.cancel')}
        </button>
      </div>
    </form>
  );
}
