import { useEffect, useId, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../../../server/src/contract/auth';
import { request } from '../../api';
import { hrefFor, navigate, useStaffRoute } from '../../route';
import { CategoriesSection } from './CategoriesSection';
import { CrewsSection } from './CrewsSection';
import { DepotSection } from './DepotSection';
import { PrivacySection } from './PrivacySection';
import type { SettingsCommune } from './Section';
import { WorkingHoursSection } from './WorkingHoursSection';

/**
 * The sections of the settings screen, in order. Each is one component file in this folder that
 * loads and saves its own part for the chosen commune: adding a section is one import and one line.
 */
export const SETTINGS_SECTIONS: ReadonlyArray<{
  key: string;
  Component: ComponentType<{ commune: SettingsCommune }>;
}> = [
  { key: 'categories', Component: CategoriesSection },
  { key: 'depot', Component: DepotSection },
  { key: 'crews', Component: CrewsSection },
  { key: 'hours', Component: WorkingHoursSection },
  { key: 'privacy', Component: ({ commune }) => <PrivacySection commune={commune.slug} /> },
];

/** The communes whose settings the user manages: their admin roles, or every commune for a superadmin. */
function useAdminCommunes(me: MeAnswer): SettingsCommune[] | undefined {
  const own = me.roles
    .filter((r) => r.active && r.role === 'admin')
    .map((r) => r.commune)
    .filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i);
  const [all, setAll] = useState<SettingsCommune[] | undefined>();
  useEffect(() => {
    if (!me.user.superadmin) return;
    request<SettingsCommune[]>('/api/communes')
      .then((list) => setAll(list.map((c) => ({ id: c.id, slug: c.slug, name: c.name }))))
      .catch(() => setAll([]));
  }, [me.user.superadmin]);
  return me.user.superadmin ? all : own;
}

/** The commune settings for admins (desktop first, works on a tablet): one section after another. */
export function SettingsScreen({ me }: { me: MeAnswer }) {
  const { t } = useTranslation();
  const id = useId();
  const route = useStaffRoute();
  const communes = useAdminCommunes(me);
  const wanted = route.query.get('commune');
  const commune = communes?.find((c) => c.slug === wanted) ?? communes?.[0];
  return (
    <section className="staff-card staff-wide staff-settings" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('settings.heading')}</h1>
      <p>{t('settings.intro')}</p>
      {communes === undefined ? (
        <p>{t('settings.loading')}</p>
      ) : !commune ? (
        <p>{t('signedIn.noRole')}</p>
      ) : (
        <>
          {communes.length > 1 && (
            <div className="staff-field staff-inline-form">
              <label htmlFor={`${id}-commune`}>{t('settings.commune')}</label>
              <select
                id={`${id}-commune`}
                value={commune.slug}
                onChange={(e) =>
                  navigate(hrefFor('settings', { query: new URLSearchParams({ commune: e.target.value }) }), {
                    replace: true,
                  })
                }
              >
                {communes.map((c) => (
                  <option key={c.id} value={c.slug}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {SETTINGS_SECTIONS.map(({ key, Component }) => (
            <Component key={`${key}-${commune.slug}`} commune={commune} />
          ))}
        </>
      )}
    </section>
  );
}
