import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../../../server/src/contract/auth';
import { fetchMe } from '../../api';
import { PrivacySection } from './PrivacySection';

/** The town hall's settings screen (being built: issue 6; the "crews" engineer owns it). */
export function SettingsScreen() {
  const { t } = useTranslation();
  const id = useId();
  const [me, setMe] = useState<MeAnswer | null>(null);
  const [commune, setCommune] = useState<string | null>(null);
  useEffect(() => {
    void fetchMe().then((m) => setMe(m ?? null));
  }, []);
  const communes = (me?.roles ?? [])
    .filter((r) => r.active && r.role === 'admin')
    .map((r) => r.commune)
    .filter((c, i, all) => all.findIndex((o) => o.slug === c.slug) === i);
  const current = commune ?? communes[0]?.slug ?? null;
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('nav.settings')}</h1>
      {me && communes.length === 0 && <p className="staff-muted">{t('privacy.noCommune')}</p>}
      {communes.length > 1 && (
        <div className="staff-field">
          <label htmlFor={`${id}-commune`}>{t('privacy.commune')}</label>
          <select id={`${id}-commune`} value={current ?? ''} onChange={(e) => setCommune(e.target.value)}>
            {communes.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {current && <PrivacySection commune={current} />}
    </section>
  );
}
