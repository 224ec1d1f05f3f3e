import { useTranslation } from 'react-i18next';

/** The town hall's settings screen (being built: issue 6). */
export function SettingsScreen() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('nav.settings')}</h1>
    </section>
  );
}
