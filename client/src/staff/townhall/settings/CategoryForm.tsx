import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority } from '../../../../../server/src/contract/common';
import {
  CATEGORY_ICONS,
  CategoryCode,
  WorkTypeCode,
  type AdminCategoryView,
  type CategoryIconName,
  type CreateCategoryBody,
} from '../../../../../server/src/contract/settings';
import { CategoryIcon } from '../../../ui/CategoryIcon';

/** The fields of the category form. */
export type CategoryFormValues = Omit<CreateCategoryBody, 'active'>;

/**
 * Adds or edits a category: labels, code (fixed once reports use it), icon (those the
 * residents' grid draws), work type (free, with the commune's suggestions), time on site and
 * default priority. Checked with the contract's rules before it is sent.
 */
export function CategoryForm({
  initial,
  workTypes,
  heading,
  busy,
  onSubmit,
  onCancel,
}: {
  initial?: AdminCategoryView;
  workTypes: string[];
  heading: string;
  busy: boolean;
  onSubmit: (v: CategoryFormValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [labelFr, setLabelFr] = useState(initial?.labelFr ?? '');
  const [labelEn, setLabelEn] = useState(initial?.labelEn ?? '');
  const [code, setCode] = useState(initial?.code ?? '');
  const [icon, setIcon] = useState<CategoryIconName>(
    (CATEGORY_ICONS as readonly string[]).includes(initial?.icon ?? '')
      ? (initial!.icon as CategoryIconName)
      : 'other',
  );
  const [workType, setWorkType] = useState(initial?.workType ?? '');
  const [minutes, setMinutes] = useState(String(initial?.defaultServiceMinutes ?? 30));
  const [priority, setPriority] = useState<Priority>(initial?.defaultPriority ?? 'normal');
  const [problem, setProblem] = useState<{ field: string; text: string } | undefined>();
  const codeLocked = (initial?.reports ?? 0) > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(minutes);
    const check: Array<[boolean, string, string]> = [
      [labelFr.trim() !== '' && labelEn.trim() !== '', 'labelFr', t('settings.categories.invalidLabel')],
      [CategoryCode.safeParse(code).success, 'code', t('settings.categories.invalidCode')],
      [WorkTypeCode.safeParse(workType).success, 'workType', t('settings.categories.invalidWorkType')],
      [Number.isInteger(n) && n >= 1 && n <= 480, 'minutes', t('settings.categories.invalidMinutes')],
    ];
    const bad = check.find(([ok]) => !ok);
    if (bad) {
      setProblem({ field: bad[1], text: bad[2] });
      document.getElementById(`${id}-${bad[1]}`)?.focus();
      return;
    }
    setProblem(undefined);
    onSubmit({
      code,
      labelFr: labelFr.trim(),
      labelEn: labelEn.trim(),
      icon,
      workType,
      defaultServiceMinutes: n,
      defaultPriority: priority,
    });
  }

  const invalid = (field: string) =>
    problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${id}-problem` } : {};

  return (
    <form className="staff-settings-form" onSubmit={submit} aria-labelledby={`${id}-h`} noValidate>
      <h3 id={`${id}-h`}>{heading}</h3>
      {problem && (
        <p id={`${id}-problem`} className="staff-error" role="alert">
          {problem.text}
        </p>
      )}
      <div className="staff-settings-grid">
        <div className="staff-field">
          <label htmlFor={`${id}-labelFr`}>{t('settings.categories.labelFr')}</label>
          <input
            id={`${id}-labelFr`}
            value={labelFr}
            maxLength={100}
            onChange={(e) => setLabelFr(e.target.value)}
            {...invalid('labelFr')}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-labelEn`}>{t('settings.categories.labelEn')}</label>
          <input
            id={`${id}-labelEn`}
            value={labelEn}
            maxLength={100}
            onChange={(e) => setLabelEn(e.target.value)}
            {...invalid('labelFr')}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-code`}>{t('settings.categories.code')}</label>
          <input
            id={`${id}-code`}
            value={code}
            maxLength={40}
            readOnly={codeLocked}
            aria-describedby={`${id}-code-hint`}
            onChange={(e) => setCode(e.target.value.trim())}
            {...invalid('code')}
          />
          <span id={`${id}-code-hint`} className="staff-hint">
            {codeLocked
              ? t('settings.categories.codeLocked', { count: initial!.reports })
              : t('settings.categories.codeHint')}
          </span>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-workType`}>{t('settings.categories.workType')}</label>
          <input
            id={`${id}-workType`}
            value={workType}
            maxLength={40}
            list={`${id}-workTypes`}
            aria-describedby={`${id}-workType-hint`}
            onChange={(e) => setWorkType(e.target.value.trim())}
            {...invalid('workType')}
          />
          <datalist id={`${id}-workTypes`}>
            {workTypes.map((w) => (
              <option key={w} value={w}>
                {t(`common.workType_${w}`, { defaultValue: w })}
              </option>
            ))}
          </datalist>
          <span id={`${id}-workType-hint`} className="staff-hint">
            {t('settings.categories.workTypeHint')}
          </span>
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-minutes`}>{t('settings.categories.minutes')}</label>
          <input
            id={`${id}-minutes`}
            type="number"
            inputMode="numeric"
            min={1}
            max={480}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            {...invalid('minutes')}
          />
        </div>
        <div className="staff-field">
          <label htmlFor={`${id}-priority`}>{t('settings.categories.priority')}</label>
          <select
            id={`${id}-priority`}
            value={priority}
            onChange={(e) => setPriority(e.target.value as Priority)}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`townhall.priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="staff-fieldset staff-icon-choice">
        <legend>{t('settings.categories.icon')}</legend>
        {CATEGORY_ICONS.map((name) => (
          <label key={name} className="staff-icon-option">
            <input
              type="radio"
              name={`${id}-icon`}
              value={name}
              checked={icon === name}
              onChange={() => setIcon(name)}
            />
            <CategoryIcon icon={name} size={28} />
            <span>{t(`settings.categories.icons.${name}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="staff-form-actions">
        <button type="submit" className="staff-button staff-inline-button" disabled={busy} aria-busy={busy}>
          {busy ? t('settings.saving') : t('settings.save')}
        </button>
        <button type="button" className="staff-button staff-secondary staff-inline-button" onClick={onCancel}>
          {t('settings.cancel')}
        </button>
      </div>
    </form>
  );
}
