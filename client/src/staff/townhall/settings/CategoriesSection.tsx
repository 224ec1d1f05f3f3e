import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminCategoryView } from '../../../../../server/src/contract/settings';
import { CategoryIcon } from '../../../ui/CategoryIcon';
import { CategoryForm, type CategoryFormValues } from './CategoryForm';
import { describeError, Section, useSectionData, type SettingsCommune } from './Section';
import { createCategory, deleteCategory, getCategories, updateCategory } from './settingsApi';

/**
 * The commune's categories: what residents can report. Add, edit, deactivate (a category that
 * reports use stays, hidden from residents), delete one no report uses.
 */
export function CategoriesSection({ commune }: { commune: SettingsCommune }) {
  const { t, i18n } = useTranslation();
  const { data, setData, failed, reload } = useSectionData(() => getCategories(commune.slug), commune.slug);
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const label = (c: Pick<AdminCategoryView, 'labelFr' | 'labelEn'>) =>
    i18n.language === 'en' ? c.labelEn : c.labelFr;

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      const done = await action();
      // The list first, then the notice: whoever reads the notice sees the list it speaks of.
      setData(await getCategories(commune.slug));
      setEditing(undefined);
      setNotice(done);
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  const save = (current: AdminCategoryView | undefined) => (v: CategoryFormValues) =>
    void run(async () => {
      if (!current) {
        const created = await createCategory(commune.slug, { ...v, active: true });
        return t('settings.categories.created', { label: label(created) });
      }
      const changes = Object.fromEntries(
        Object.entries(v).filter(([k, value]) => current[k as keyof CategoryFormValues] !== value),
      );
      const saved =
        Object.keys(changes).length > 0 ? await updateCategory(commune.slug, current.code, changes) : current;
      return t('settings.categories.updated', { label: label(saved) });
    });

  const toggle = (c: AdminCategoryView) =>
    void run(async () => {
      const saved = await updateCategory(commune.slug, c.code, { active: !c.active });
      return t(saved.active ? 'settings.categories.activated' : 'settings.categories.deactivated', {
        label: label(saved),
      });
    });

  const remove = (c: AdminCategoryView) => {
    if (!window.confirm(t('settings.categories.confirmDelete', { label: label(c) }))) return;
    void run(async () => {
      await deleteCategory(commune.slug, c.code);
      return t('settings.categories.deleted', { label: label(c) });
    });
  };

  const items = data?.items ?? [];
  const editedCategory = items.find((c) => c.code === editing);
  return (
    <Section
      id="settings-categories"
      title={t('settings.categories.heading')}
      hint={t('settings.categories.hint')}
      loaded={data !== undefined}
      failed={failed}
      onRetry={reload}
      notice={notice}
      error={error}
    >
      {items.length === 0 ? (
        <p>{t('settings.categories.empty')}</p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{t('settings.categories.icon')}</th>
                <th scope="col">{t('settings.categories.labelFr')}</th>
                <th scope="col">{t('settings.categories.labelEn')}</th>
                <th scope="col">{t('settings.categories.code')}</th>
                <th scope="col">{t('settings.categories.workType')}</th>
                <th scope="col">{t('settings.categories.minutes')}</th>
                <th scope="col">{t('settings.categories.priority')}</th>
                <th scope="col">{t('settings.categories.reports')}</th>
                <th scope="col">{t('settings.categories.status')}</th>
                <th scope="col">{t('settings.categories.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.code} data-code={c.code} className={c.active ? undefined : 'staff-row-inactive'}>
                  <td>
                    <CategoryIcon icon={c.icon} size={28} />
                  </td>
                  <td>{c.labelFr}</td>
                  <td lang="en">{c.labelEn}</td>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>{t(`common.workType_${c.workType}`, { defaultValue: c.workType })}</td>
                  <td>{c.defaultServiceMinutes}</td>
                  <td>{t(`townhall.priority.${c.defaultPriority}`)}</td>
                  <td>{c.reports}</td>
                  <td>
                    {c.active ? t('settings.categories.isActive') : t('settings.categories.isInactive')}
                  </td>
                  <td className="staff-row-actions">
                    <button
                      type="button"
                      className="staff-small-button"
                      disabled={busy}
                      aria-label={`${t('settings.edit')} ${label(c)}`}
                      onClick={() => setEditing(c.code)}
                    >
                      {t('settings.edit')}
                    </button>
                    <button
                      type="button"
                      className="staff-small-button"
                      disabled={busy}
                      aria-label={t(
                        c.active ? 'settings.categories.deactivate' : 'settings.categories.activate',
                        {
                          label: label(c),
                        },
                      )}
                      onClick={() => toggle(c)}
                    >
                      {t(
                        c.active
                          ? 'settings.categories.deactivateShort'
                          : 'settings.categories.activateShort',
                      )}
                    </button>
                    {c.reports === 0 && (
                      <button
                        type="button"
                        className="staff-small-button staff-danger"
                        disabled={busy}
                        aria-label={t('settings.categories.delete', { label: label(c) })}
                        onClick={() => remove(c)}
                      >
                        {t('settings.categories.deleteShort')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing === undefined ? (
        <button type="button" className="staff-button staff-inline-button" onClick={() => setEditing('new')}>
          {t('settings.categories.add')}
        </button>
      ) : (
        <CategoryForm
          key={editing}
          {...(editedCategory ? { initial: editedCategory } : {})}
          workTypes={data?.workTypes ?? []}
          heading={
            editedCategory
              ? t('settings.categories.editHeading', { label: label(editedCategory) })
              : t('settings.categories.addHeading')
          }
          busy={busy}
          onSubmit={save(editedCategory)}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </Section>
  );
}
