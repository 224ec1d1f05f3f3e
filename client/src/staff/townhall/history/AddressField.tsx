import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAddresses } from './historyApi';
import { suggestionsOf, type AddressChoice } from './suggestions';

/**
 * The address filter with suggestions from the commune's address table (ARIA combobox with a
 * list box: arrows move, Enter picks, Escape closes). Typing alone also filters, after a pause.
 */
export function AddressField({
  value,
  commune,
  onChange,
  onPlace,
}: {
  value: string;
  /** The commune whose addresses are suggested; none: no suggestions. */
  commune: string | undefined;
  onChange: (address: string) => void;
  /** A single address was picked: show it on the map. */
  onPlace: (at: { lat: number; lon: number }) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(value);
  const [items, setItems] = useState<AddressChoice[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  /** The text the suggestions shown are for. */
  const [searched, setSearched] = useState('');
  const typed = useRef(false);

  // The filter changed from outside (reset, back button): show it.
  useEffect(() => {
    setText(value);
  }, [value]);

  // Suggestions, a moment after typing stops; an older request is cancelled.
  useEffect(() => {
    if (!typed.current || !commune || text.trim().length < 2) {
      setItems([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      fetchAddresses(commune, text.trim(), ctrl.signal)
        .then((found) => {
          setItems(suggestionsOf(found));
          setSearched(text.trim());
          setActive(-1);
          setOpen(true);
        })
        .catch(() => {
          if (!ctrl.signal.aborted) setItems([]);
        });
    }, 200);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text, commune]);

  // Typing without picking filters too, once the person pauses.
  useEffect(() => {
    if (!typed.current || text.trim() === value.trim()) return;
    const timer = setTimeout(() => {
      if (text.trim().length !== 1) onChange(text.trim());
    }, 700);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);

  const pick = (choice: AddressChoice) => {
    typed.current = false;
    setText(choice.text);
    setOpen(false);
    setItems([]);
    onChange(choice.text);
    if (choice.at) onPlace(choice.at);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const choice = open ? items[active] : undefined;
      if (choice) pick(choice);
      else {
        typed.current = false;
        setOpen(false);
        onChange(text.trim());
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const showList = open && text.trim().length >= 2 && typed.current;
  return (
    <div className="hs-field hs-address">
      <label htmlFor={`${id}-input`}>{t('history.filters.address')}</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={showList && items.length > 0}
        aria-controls={listId}
        placeholder={t('history.filters.addressHint')}
        aria-activedescendant={showList && active >= 0 ? `${id}-opt-${active}` : undefined}
        value={text}
        onChange={(e) => {
          typed.current = true;
          setText(e.target.value);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={t('history.filters.suggestions')}
        className="hs-suggestions"
        hidden={!showList || items.length === 0}
      >
        {items.map((choice, i) => (
          <li
            key={`${choice.text}-${i}`}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'hs-active' : undefined}
            // mousedown, not click: before the input's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(choice);
            }}
          >
            {choice.text}
            {!choice.at && <span className="hs-muted"> — {t('history.filters.street')}</span>}
          </li>
        ))}
      </ul>
      {showList && items.length === 0 && searched === text.trim() && (
        <p className="hs-hint" role="status">
          {t('history.filters.noSuggestion')}
        </p>
      )}
    </div>
  );
}
