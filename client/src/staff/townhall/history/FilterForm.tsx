import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, REPORT_STATUSES } from '../../../../../server/src/contract/common';
import type { FilterParams } from '../filters';
import { AddressField } from './AddressField';
import { MultiSelect, type Choice } from './MultiSelect';

const listOf = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);
const DAY = /^\d{4}-\d\d-\d\d$/;

/**
 * The history screen's filters. Each change goes straight to the address (the parent
 * navigates), so the list, the map, the exports and a bookmark always hold the same filter.
 * Free text waits for a pause in typing.
 */
export function FilterForm({
  filter,
  onChange,
  communes,
  addressCommune,
  categories,
  limitToMap,
  onLimitToMap,
  onPlace,
}: {
  filter: FilterParams;
  onChange: (next: FilterParams) => void;
  /** The user's communes; a choice appears when there are several. */
  communes: ReadonlyArray<{ slug: string; name: string }>;
  /** The commune whose addresses are suggested. */
  addressCommune: string | undefined;
  /** The categories to choose from; null when they could not be loaded. */
  categories: Choice[] | null;
  limitToMap: boolean;
  onLimitToMap: (on: boolean) => void;
  onPlace: (at: { lat: number; lon: number }) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const set = useCallback(
    (patch: FilterParams) => {
      const next: FilterParams = { ...filter, ...patch };
      for (const k of Object.keys(patch) as Array<keyof FilterParams>) if (!next[k]) delete next[k];
      onChange(next);
    },
    [filter, onChange],
  );

  // Text: applied after a pause, or at once with Enter.
  const [q, setQ] = useState(filter.q ?? '');
  useEffect(() => setQ(filter.q ?? ''), [filter.q]);
  useEffect(() => {
    if (q.trim() === (filter.q ?? '')) return;
    const timer = setTimeout(() => set({ q: q.trim() }), 500);
    return () => clearTimeout(timer);
  }, [q, filter.q, set]);

  // Dates: applied when both make sense.
  const [from, setFrom] = useState(filter.from ?? '');
  const [to, setTo] = useState(filter.to ?? '');
  useEffect(() => setFrom(filter.from ?? ''), [filter.from]);
  useEffect(() => setTo(filter.to ?? ''), [filter.to]);
  const reversed = DAY.test(from) && DAY.test(to) && from > to;
  const changeDate = (which: 'from' | 'to', value: string) => {
    const next = { from, to, [which]: value };
    if (which === 'from') setFrom(value);
    else setTo(value);
    if (
      (value === '' || DAY.test(value)) &&
      !(DAY.test(next.from) && DAY.test(next.to) && next.from > next.to)
    )
      set({ from: next.from, to: next.to });
  };

  const onAddress = useCallback((address: string) => set({ address }), [set]);
  const statuses: Choice[] = REPORT_STATUSES.map((s) => ({ value: s, label: t(`townhall.status.${s}`) }));
  const priorities: Choice[] = PRIORITIES.map((p) => ({ value: p, label: t(`townhall.priority.${p}`) }));

  return (
    <form
      role="search"
      aria-label={t('history.filters.label')}
      className="hs-filters"
      onSubmit={(e) => {
        e.preventDefault();
        set({ q: q.trim() });
      }}
    >
      {communes.length > 1 && (
        <div className="hs-field">
          <label htmlFor={`${id}-commune`}>{t('history.filters.commune')}</label>
          <select
            id={`${id}-commune`}
            value={filter.commune ?? ''}
            onChange={(e) => set({ commune: e.target.value })}
          >
            <option value="">{t('history.filters.allCommunes')}</option>
            {communes.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="hs-selects">
        <MultiSelect
          label={t('history.filters.status')}
          choices={statuses}
          selected={listOf(filter.status)}
          onChange={(v) => set({ status: v.join(',') })}
        />
        {categories ? (
          <MultiSelect
            label={t('history.filters.category')}
            choices={categories}
            selected={listOf(filter.category)}
            onChange={(v) => set({ category: v.join(',') })}
          />
        ) : (
          <p className="hs-hint">{t('history.filters.noCategories')}</p>
        )}
        <MultiSelect
          label={t('history.filters.priority')}
          choices={priorities}
          selected={listOf(filter.priority)}
          onChange={(v) => set({ priority: v.join(',') })}
        />
      </div>
      <div className="hs-dates">
        <div className="hs-field">
          <label htmlFor={`${id}-from`}>{t('history.filters.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={from}
            max={DAY.test(to) ? to : undefined}
            aria-invalid={reversed || undefined}
            aria-describedby={reversed ? `${id}-dates` : undefined}
            onChange={(e) => changeDate('from', e.target.value)}
          />
        </div>
        <div className="hs-field">
          <label htmlFor={`${id}-to`}>{t('history.filters.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={to}
            min={DAY.test(from) ? from : undefined}
            aria-invalid={reversed || undefined}
            aria-describedby={reversed ? `${id}-dates` : undefined}
            onChange={(e) => changeDate('to', e.target.value)}
          />
        </div>
        <p id={`${id}-dates`} className="hs-error-text" role="alert">
          {reversed ? t('history.filters.datesReversed') : ''}
        </p>
      </div>
      <div className="hs-field hs-text">
        <label htmlFor={`${id}-q`}>{t('history.filters.q')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          placeholder={t('history.filters.qHint')}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <AddressField
        value={filter.address ?? ''}
        commune={addressCommune}
        onChange={onAddress}
        onPlace={onPlace}
      />
      <div className="hs-filter-end">
        <label className="hs-check" htmlFor={`${id}-limit`}>
          <input
            id={`${id}-limit`}
            type="checkbox"
            checked={limitToMap}
            onChange={(e) => onLimitToMap(e.target.checked)}
          />
          {t('history.filters.limitToMap')}
        </label>
        <button
          type="button"
          className="hs-button hs-secondary"
          onClick={() => {
            setQ('');
            onChange(filter.commune ? { commune: filter.commune } : {});
          }}
        >
          {t('history.filters.reset')}
        </button>
      </div>
    </form>
  );
}
