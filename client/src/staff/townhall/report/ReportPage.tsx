import { useTranslation } from 'react-i18next';

/** One report as the town hall sees it (being built: issue 6). */
export function ReportPage({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="report-heading">
      <h1 id="report-heading">{t('nav.history')}</h1>
      <p>{id}</p>
    </section>
  );
}
