import './ExportButtons.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LARGE_EXPORT_ROWS } from '../../../../../server/src/contract/exports';
import type { SummaryAnswer } from '../../../../../server/src/contract/stats';
import { request } from '../../api';
import { filterToQuery, type FilterParams } from '../filters';

/**
 * Export of the filtered list as CSV and GeoJSON (same filter as the list): two download links
 * to `GET /api/reports/export.csv|geojson`, with the number of reports the file will hold and a
 * note when it is large. Rendered by the history and statistics screens.
 */
export function ExportButtons({ filter }: { filter: FilterParams }) {
  const { t, i18n } = useTranslation();
  const query = filterToQuery(filter).toString();
  const [count, setCount] = useState<{ query: string; total: number } | undefined>();

  useEffect(() => {
    let live = true;
    request<SummaryAnswer>(`/api/stats/summary?${query}`)
      .then((s) => live && setCount({ query, total: s.total }))
      .catch(() => undefined); // the links work without the count
    return () => {
      live = false;
    };
  }, [query]);

  const total = count?.query === query ? count.total : undefined;
  const suffix = query ? `?${query}` : '';
  const formatted = total === undefined ? '' : new Intl.NumberFormat(i18n.language).format(total);
  return (
    <section className="exports" aria-labelledby="exports-heading">
      <h2 id="exports-heading">{t('stats.export.heading')}</h2>
      {total !== undefined && (
        <p role="status">
          {t('stats.export.count', { count: total, formatted, defaultValue: formatted })}
          {total >= LARGE_EXPORT_ROWS && ` — ${t('stats.export.large')}`}
          {total === 0 && ` — ${t('stats.export.empty')}`}
        </p>
      )}
      <ul>
        <li>
          <a href={`/api/reports/export.csv${suffix}`} download>
            {t('stats.export.csv')}
          </a>
        </li>
        <li>
          <a href={`/api/reports/export.geojson${suffix}`} download>
            {t('stats.export.geojson')}
          </a>
        </li>
      </ul>
      <p className="exports-note">{t('stats.export.note')}</p>
    </section>
  );
}
