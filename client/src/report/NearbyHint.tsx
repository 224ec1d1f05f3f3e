import { useTranslation } from 'react-i18next';
import type { NearbyReport } from '../../../server/src/contract/reports';
import { categoryLabel } from './CategoryGrid';

/** "Already reported nearby": informs, never blocks (the person may still send). */
export function NearbyHint({ items }: { items: NearbyReport[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <section className="notice notice-info" aria-labelledby="nearby-title" data-testid="nearby-hint">
      <h3 id="nearby-title" className="notice-title">
        {t('report.nearby.title')}
      </h3>
      <ul>
        {items.slice(0, 3).map((r) => (
          <li key={r.id}>
            {t('report.nearby.item', {
              category: categoryLabel(r.category),
              distance: Math.round(r.distanceMetres),
              status: t(`mine.status.${r.status}`),
            })}
          </li>
        ))}
      </ul>
      <p>{t('report.nearby.still')}</p>
    </section>
  );
}
