import { useTranslation } from 'react-i18next';
import type { CategoryView } from '../../../server/src/contract/communes';
import { currentLanguage } from '../i18n';
import type { CategoriesAt } from '../offline/reference';
import { CategoryIcon } from '../ui/CategoryIcon';

/** A category's label in the current language. */
export function categoryLabel(c: { labelFr: string; labelEn: string }): string {
  return currentLanguage() === 'en' ? c.labelEn : c.labelFr;
}

/** Props of the category grid. */
export interface CategoryGridProps {
  /** null: not known yet (no place, nothing cached); 'loading': being fetched. */
  categories: CategoriesAt | 'loading' | null;
  selected: string | null;
  onSelect(category: CategoryView): void;
}

/** The commune's categories as big icon tiles (native radio buttons: keyboard and screen readers for free). */
export function CategoryGrid({ categories, selected, onSelect }: CategoryGridProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="section" id="category">
      <legend className="section-title">{t('report.category.legend')}</legend>
      {categories === null && <p className="hint">{t('report.category.waiting')}</p>}
      {categories === 'loading' && (
        <p className="hint" role="status">
          {t('report.category.loading')}
        </p>
      )}
      {categories !== null && categories !== 'loading' && categories.kind === 'outside' && (
        <p className="hint">{t('report.category.outside')}</p>
      )}
      {categories !== null && categories !== 'loading' && categories.kind === 'unavailable' && (
        <p className="notice notice-warn">{t('report.category.unavailable')}</p>
      )}
      {categories !== null && categories !== 'loading' && categories.kind === 'ok' && (
        <>
          {categories.source === 'cache' && (
            <p className="hint">{t('report.category.cached', { commune: categories.commune.name })}</p>
          )}
          <div className="category-grid">
            {categories.categories.map((c) => (
              <label key={c.code} className={`category-tile${selected === c.code ? ' is-selected' : ''}`}>
                <input
                  className="sr-only"
                  type="radio"
                  name="category"
                  value={c.code}
                  checked={selected === c.code}
                  onChange={() => onSelect(c)}
                />
                <CategoryIcon icon={c.icon} />
                <span>{categoryLabel(c)}</span>
              </label>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
