import { useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** One choice of a multi-select. */
export interface Choice {
  value: string;
  label: string;
}

/**
 * A compact multi-select: a disclosure button (the native <details>) opening a group of
 * checkboxes. Keyboard: Enter/Space opens, Tab walks the boxes, Escape closes and returns.
 * Nothing ticked means "all" (no filter).
 */
export function MultiSelect({
  label,
  choices,
  selected,
  onChange,
}: {
  label: string;
  choices: readonly Choice[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const details = useRef<HTMLDetailsElement>(null);
  const chosen = choices.filter((c) => selected.includes(c.value));
  const summary =
    chosen.length === 0
      ? t('history.filters.any')
      : chosen.length <= 2
        ? chosen.map((c) => c.label).join(', ')
        : t('history.filters.chosen', { count: chosen.length });
  const close = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !details.current?.open) return;
    e.preventDefault();
    details.current.open = false;
    details.current.querySelector('summary')?.focus();
  };
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...selected, value] : selected.filter((v) => v !== value);
    // In the order of the choices, so the address is stable.
    onChange(choices.map((c) => c.value).filter((v) => next.includes(v)));
  };
  return (
    <details className="hs-multi" ref={details} onKeyDown={close}>
      <summary>
        <span className="hs-multi-label">{label}</span>
        <span className="hs-multi-value">{summary}</span>
      </summary>
      <fieldset className="hs-multi-options">
        <legend className="sr-only">{label}</legend>
        {choices.map((c) => (
          <label key={c.value} className="hs-check" htmlFor={`${id}-${c.value}`}>
            <input
              id={`${id}-${c.value}`}
              type="checkbox"
              checked={selected.includes(c.value)}
              onChange={(e) => toggle(c.value, e.target.checked)}
            />
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
