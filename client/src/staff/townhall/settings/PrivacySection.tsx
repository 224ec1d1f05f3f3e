import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RETENTION_LIMITS } from '../../../../../server/src/contract/privacy';
import type { CommuneSettings } from '../../../../../server/src/contract/staff';
import { ApiError, request } from '../../api';

/**
 * The settings screen's "photos and personal data" section for one commune: public photos,
 * retention periods (within the shared bounds) and the town hall's privacy contact, saved with
 * PATCH /api/staff/communes/:commune/settings (only what changed), with a link to the public
 * privacy notice those settings produce.
 */
export function PrivacySection({ commune }: { commune: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [loaded, setLoaded] = useState<CommuneSettings | null>(null);
  const [form, setForm] = useState<CommuneSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const settingsPath = `/api/staff/communes/${encodeURIComponent(commune)}/settings`;

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setForm(null);
    setLoadError(null);
    request<CommuneSettings>(settingsPath)
      .then((s) => {
        if (!live) return;
        setLoaded(s);
        setForm(s);
      })
      .catch((err: unknown) => live && setLoadError(err instanceof ApiError ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [settingsPath]);

  if (loadError)
    return (
      <p className="staff-error" role="alert">
        {t('privacy.loadFailed', { message: loadError })}
      </p>
    );
  if (!form || !loaded) return <p role="status">{t('privacy.loading')}</p>;

  const { contactMonths, locationYears } = RETENTION_LIMITS;
  const orderWrong = form.locationRetentionYears * 12 < form.contactRetentionMonths;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (!form || !loaded) return;
    if (orderWrong) {
      setMessage({
        ok: false,
        text: t('privacy.orderError', { months: form.contactRetentionMonths }),
        field: 'locationRetentionYears',
      });
      return;
    }
    const changed = Object.fromEntries(
      (Object.keys(form) as Array<keyof CommuneSettings>)
        .filter((k) => k !== 'requireAdminTotp' && form[k] !== loaded[k])
        .map((k) => [k, k === 'privacyContact' ? form[k]?.trim() || null : form[k]]),
    );
    if (Object.keys(changed).length === 0) {
      setMessage({ ok: true, text: t('privacy.saved') });
      return;
    }
    setSaving(true);
    setMessage(null);
    try {
      const saved = await request<CommuneSettings>(settingsPath, {
        method: 'PATCH',
        body: JSON.stringify(changed),
      });
      setLoaded(saved);
      setForm(saved);
      setMessage({ ok: true, text: t('privacy.saved') });
    } catch (err) {
      const e2 = err instanceof ApiError ? err : undefined;
      setMessage({
        ok: false,
        text: t('privacy.saveFailed', { message: e2?.message ?? String(err) }),
        ...(e2?.field ? { field: e2.field } : {}),
      });
    } finally {
      setSaving(false);
    }
  }

  const set = <K extends keyof CommuneSettings>(k: K, v: CommuneSettings[K]) => {
    setForm({ ...form, [k]: v });
    setMessage(null);
  };
  const invalid = (field: string) => (message && !message.ok && message.field === field ? true : undefined);
  const lang = i18n.language === 'en' ? '?lang=en' : '';

  return (
    <section className="staff-settings-section" id="settings-privacy" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('privacy.heading')}</h2>
      <p className="staff-hint">{t('privacy.intro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <div className="staff-field">
          <label className="staff-check">
            <input
              type="checkbox"
              checked={form.photosPublic}
              aria-describedby={`${id}-photos-hint`}
              onChange={(e) => set('photosPublic', e.target.checked)}
            />
            {t('privacy.photosPublic')}
          </label>
          <p id={`${id}-photos-hint`} className="staff-hint">
            {t('privacy.photosPublicHint')}
          </p>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-months`}>{t('privacy.contactMonths')}</label>
          <input
            id={`${id}-months`}
            type="number"
            inputMode="numeric"
            min={contactMonths.min}
            max={contactMonths.max}
            step={1}
            required
            value={form.contactRetentionMonths}
            aria-describedby={`${id}-months-hint`}
            aria-invalid={invalid('contactRetentionMonths')}
            onChange={(e) => set('contactRetentionMonths', Number(e.target.value))}
          />
          <p id={`${id}-months-hint`} className="staff-hint">
            {t('privacy.contactMonthsHint', { min: contactMonths.min, max: contactMonths.max })}
          </p>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-years`}>{t('privacy.locationYears')}</label>
          <input
            id={`${id}-years`}
            type="number"
            inputMode="numeric"
            min={locationYears.min}
            max={locationYears.max}
            step={1}
            required
            value={form.locationRetentionYears}
            aria-describedby={`${id}-years-hint`}
            aria-invalid={invalid('locationRetentionYears') ?? (orderWrong ? true : undefined)}
            onChange={(e) => set('locationRetentionYears', Number(e.target.value))}
          />
          <p id={`${id}-years-hint`} className="staff-hint">
            {t('privacy.locationYearsHint', { min: locationYears.min, max: locationYears.max })}
          </p>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-contact`}>{t('privacy.contact')}</label>
          <textarea
            id={`${id}-contact`}
            rows={3}
            maxLength={500}
            value={form.privacyContact ?? ''}
            aria-describedby={`${id}-contact-hint`}
            aria-invalid={invalid('privacyContact')}
            onChange={(e) => set('privacyContact', e.target.value)}
          />
          <p id={`${id}-contact-hint`} className="staff-hint">
            {t('privacy.contactHint')}
          </p>
        </div>
        <div role="status" aria-live="polite">
          {message && <p className={message.ok ? 'staff-notice' : 'staff-error'}>{message.text}</p>}
        </div>
        <button type="submit" className="staff-button" disabled={saving}>
          {saving ? t('privacy.saving') : t('privacy.save')}
        </button>
      </form>
      <p>
        <a href={`/privacy/${encodeURIComponent(commune)}${lang}`} target="_blank" rel="noopener">
          {t('privacy.notice')}
        </a>
      </p>
    </section>
  );
}
