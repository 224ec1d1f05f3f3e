import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RELATED_NEARBY_METRES } from '../../../../../server/src/contract/history';
import type { PublicReport } from '../../../../../server/src/contract/reports';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { errorText } from './errors';
import { findReports, PICKABLE } from './reportApi';

/** What the picker shows of a report (a search result or a nearby report of the page). */
type Pickable = Pick<PublicReport, 'id' | 'status' | 'category' | 'address'>;

/**
 * Picks other reports of the same commune: the kept report of a duplicate (`one`) or the
 * duplicates to merge into this one (`many`). Offers the reports nearby (the page's
 * `report.nearby`) and a search by address, text or report number (the staff list's `q`).
 */
export function DuplicatePicker({
  report,
  mode,
  value,
  onChange,
}: {
  report: StaffReport;
  mode: 'one' | 'many';
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [found, setFound] = useState<PublicReport[] | undefined>();
  const [query, setQuery] = useState('');
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState('');

  // Merging takes open reports only (a closed one must be reopened first); any report but a duplicate may be kept.
  const pickable = (r: Pickable) =>
    r.id !== report.id && (mode === 'many' ? PICKABLE.includes(r.status) : r.status !== 'duplicate');

  async function search(e: { preventDefault(): void }) {
    e.preventDefault();
    const q = query.trim();
    if (!q) return;
    setSearching(true);
    setError('');
    try {
      setFound(await findReports({ commune: report.commune.slug, q }));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setSearching(false);
    }
  }

  const toggle = (rid: string, on: boolean) => {
    if (mode === 'one') onChange(on ? [rid] : []);
    else onChange(on ? [...new Set([...value, rid])] : value.filter((v) => v !== rid));
  };
  const label = (r: Pickable) =>
    t('moderation.picker.item', {
      category: i18n.language === 'en' ? r.category.labelEn : r.category.labelFr,
      place: r.address ?? t('moderation.picker.noPlace'),
      status: t(`townhall.status.${r.status}`),
      id: r.id.slice(0, 8),
    });
  const list = (items: readonly Pickable[] | undefined, legend: string, key: string) => {
    const shown = items?.filter(pickable);
    return (
      <fieldset className="ra-picker-list" data-testid={`picker-${key}`}>
        <legend>{legend}</legend>
        {items === undefined ? (
          <p className="staff-muted">{t('moderation.picker.loading')}</p>
        ) : shown!.length === 0 ? (
          <p className="staff-muted">{t('moderation.picker.none')}</p>
        ) : (
          shown!.map((r) => (
            <label key={r.id} className="ra-check">
              <input
                type={mode === 'one' ? 'radio' : 'checkbox'}
                name={`${id}-${key}`}
                value={r.id}
                checked={value.includes(r.id)}
                onChange={(e) => toggle(r.id, e.target.checked)}
              />
              <span>{label(r)}</span>
            </label>
          ))
        )}
      </fieldset>
    );
  };

  return (
    <div
      className="ra-picker"
      role="group"
      aria-label={t(mode === 'one' ? 'moderation.picker.selectOne' : 'moderation.picker.selectMany')}
    >
      <div className="ra-search" role="search">
        <label htmlFor={`${id}-q`}>{t('moderation.picker.search')}</label>
        <div className="ra-inline">
          <input
            id={`${id}-q`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void search(e);
            }}
          />
          <button
            type="button"
            className="staff-small-button"
            disabled={searching}
            onClick={(e) => void search(e)}
          >
            {t('moderation.picker.searchButton')}
          </button>
        </div>
      </div>
      {error && (
        <p role="alert" className="ra-error">
          {error}
        </p>
      )}
      {found !== undefined && list(found, t('moderation.picker.results'), 'results')}
      {list(report.nearby, t('moderation.picker.nearby', { metres: RELATED_NEARBY_METRES }), 'nearby')}
    </div>
  );
}
