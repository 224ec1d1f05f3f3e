import { useTranslation } from 'react-i18next';

/** The town hall's history screen (being built: issue 6). */
export function HistoryScreen() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="history-heading">
      <h1 id="history-heading">{t('nav.history')}</h1>
    </section>
  );
}
