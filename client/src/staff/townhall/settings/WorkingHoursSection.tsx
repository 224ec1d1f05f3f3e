import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ClockTime } from '../../../../../server/src/contract/settings';
import { describeError, Section, useSectionData, type SettingsCommune } from './Section';
import { getWorkingHours, setWorkingHours } from './settingsApi';

/** When the crews' day starts: arrival times on rounds and round sheets are counted from it. */
export function WorkingHoursSection({ commune }: { commune: SettingsCommune }) {
  const { t } = useTranslation();
  const id = useId();
  const { data, setData, failed, reload } = useSectionData(() => getWorkingHours(commune.slug), commune.slug);
  const [dayStart, setDayStart] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (data) setDayStart(data.dayStart);
  }, [data]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setNotice('');
    if (!ClockTime.safeParse(dayStart).success) {
      setError(t('settings.hours.invalid'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const saved = await setWorkingHours(commune.slug, { dayStart });
      setData(saved);
      setNotice(t('settings.hours.changed', { time: saved.dayStart }));
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section
      id="settings-hours"
      title={t('settings.hours.heading')}
      hint={t('settings.hours.hint')}
      loaded={data !== undefined}
      failed={failed}
      onRetry={reload}
      notice={notice}
      error={error}
    >
      <form className="staff-settings-form staff-inline-form" onSubmit={save} noValidate>
        <div className="staff-field">
          <label htmlFor={`${id}-start`}>{t('settings.hours.dayStart')}</label>
          <input
            id={`${id}-start`}
            type="time"
            step={300}
            required
            value={dayStart}
            onChange={(e) => setDayStart(e.target.value)}
          />
        </div>
        <button type="submit" className="staff-button staff-inline-button" disabled={busy} aria-busy={busy}>
          {busy ? t('settings.saving') : t('settings.save')}
        </button>
      </form>
    </Section>
  );
}
