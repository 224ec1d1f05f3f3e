import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { OPEN_STATUSES, PRIORITIES, REPORT_STATUSES } from '../../../../../server/src/contract/common';
import {
  STATS_INTERVALS,
  type StatsCategory,
  type StatsInterval,
} from '../../../../../server/src/contract/stats';
import { CLOSED_STATUSES } from '../../../../../server/src/contract/workflow';
import type { FilterParams } from '../filters';
import { categoryLabel } from './format';

/** The filters the form edits; the others (text, address, area, rectangle) come from the address. */
const OTHER_KEYS = ['q', 'address', 'area', 'bbox'] as const;

/**
 * The statistics' filters: commune, dates, category, status, priority and grouping. Each change
 * updates the page's address (the filter lives there, as on the history screen).
 */
export function StatsFilters({
  filter,
  interval,
  communes,
  categories,
  onChange,
  onInterval,
  onReset,
}: {
  filter: FilterParams;
  interval: StatsInterval;
  communes: Array<{ slug: string; name: string }>;
  categories: readonly StatsCategory[];
  onChange: (f: FilterParams) => void;
  onInterval: (i: StatsInterval) => void;
  onReset: () => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const set = (key: keyof FilterParams, value: string) => onChange({ ...filter, [key]: value || undefined });
  const open = OPEN_STATUSES.join(',');
  const closed = CLOSED_STATUSES.join(',');
  const statusOptions: Array<[string, string]> = [
    ['', t('stats.filters.allStatuses')],
    [open, t('stats.filters.open')],
    [closed, t('stats.filters.closed')],
    ...REPORT_STATUSES.map((s): [string, string] => [s, t(`townhall.status.${s}`)]),
  ];
  if (filter.status && !statusOptions.some(([v]) => v === filter.status))
    statusOptions.push([
      filter.status,
      t('stats.filters.custom', {
        list: filter.status
          .split(',')
          .map((s) => t(`townhall.status.${s}`, { defaultValue: s }))
          .join(', '),
      }),
    ]);
  const categoryOptions = categories.map((c) => c.code);
  if (filter.category && !categoryOptions.includes(filter.category)) categoryOptions.push(filter.category);
  const priorityOptions: string[] = [...PRIORITIES];
  if (filter.priority && !priorityOptions.includes(filter.priority)) priorityOptions.push(filter.priority);
  const others = OTHER_KEYS.filter((k) => filter[k]).map((k) =>
    t(`stats.filters.${k}`, { value: filter[k] }),
  );

  return (
    <form className="stats-filters" onSubmit={(e) => e.preventDefault()} aria-labelledby={`${id}-legend`}>
      <h2 id={`${id}-legend`} className="stats-filters-title">
        {t('stats.filters.legend')}
      </h2>
      <div className="stats-filters-grid">
        {communes.length > 1 && (
          <div className="staff-field">
            <label htmlFor={`${id}-commune`}>{t('stats.filters.commune')}</label>
            <select
              id={`${id}-commune`}
              value={filter.commune ?? ''}
              onChange={(e) => set('commune', e.target.value)}
            >
              <option value="">{t('stats.filters.allCommunes')}</option>
              {communes.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="staff-field">
          <label htmlFor={`${id}-from`}>{t('stats.filters.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filter.from ?? ''}
            max={filter.to}
            onChange={(e) => set('from', e.target.value)}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-to`}>{t('stats.filters.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filter.to ?? ''}
            min={filter.from}
            onChange={(e) => set('to', e.target.value)}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-category`}>{t('stats.filters.category')}</label>
          <select
            id={`${id}-category`}
            value={filter.category ?? ''}
            onChange={(e) => set('category', e.target.value)}
          >
            <option value="">{t('stats.filters.allCategories')}</option>
            {categoryOptions.map((code) => (
              <option key={code} value={code}>
                {categoryLabel(code, categories, i18n.language)}
              </option>
            ))}
          </select>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-status`}>{t('stats.filters.status')}</label>
          <select
            id={`${id}-status`}
            value={filter.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
          >
            {statusOptions.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-priority`}>{t('stats.filters.priority')}</label>
          <select
            id={`${id}-priority`}
            value={filter.priority ?? ''}
            onChange={(e) => set('priority', e.target.value)}
          >
            <option value="">{t('stats.filters.allPriorities')}</option>
            {priorityOptions.map((p) => (
              <option key={p} value={p}>
                {t(`townhall.priority.${p}`, { defaultValue: p })}
              </option>
            ))}
          </select>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-interval`}>{t('stats.filters.interval')}</label>
          <select
            id={`${id}-interval`}
            value={interval}
            onChange={(e) => onInterval(e.target.value as StatsInterval)}
          >
            {STATS_INTERVALS.map((i) => (
              <option key={i} value={i}>
                {t(`stats.filters.${i}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {others.length > 0 && <p>{t('stats.filters.others', { list: others.join(', ') })}</p>}
      <button type="button" className="staff-link-button" onClick={onReset}>
        {t('stats.filters.reset')}
      </button>
    </form>
  );
}
