import { useTranslation } from 'react-i18next';

/** The town hall's stats screen (being built: issue 6). */
export function StatsScreen() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="stats-heading">
      <h1 id="stats-heading">{t('nav.stats')}</h1>
    </section>
  );
}
