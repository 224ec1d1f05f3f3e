import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrewView } from '../../../../../server/src/contract/settings';
import { CrewForm, type CrewValues } from './CrewForm';
import { CrewMembers } from './CrewMembers';
import { describeError, Section, useSectionData, type SettingsCommune } from './Section';
import { createCrew, getCommuneUsers, getCrews, setCrewMember, updateCrew } from './settingsApi';

/**
 * The commune's crews: name, work types, length of the day, speed; deactivate a crew that no
 * longer works; its members (people with a role in the commune), whose phones show its rounds first.
 */
export function CrewsSection({ commune }: { commune: SettingsCommune }) {
  const { t } = useTranslation();
  const { data, setData, failed, reload } = useSectionData(
    async () => ({ crews: await getCrews(commune.slug), users: await getCommuneUsers(commune.slug) }),
    commune.slug,
  );
  const [editing, setEditing] = useState<number | 'new' | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');

  async function run(action: () => Promise<string>, close = true) {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      const done = await action();
      const crews = await getCrews(commune.slug);
      setData((d) => (d ? { ...d, crews } : d));
      if (close) setEditing(undefined);
      setNotice(done);
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  const save = (current: CrewView | undefined) => (v: CrewValues) =>
    void run(async () => {
      if (!current) return t('settings.crews.created', { name: (await createCrew(commune.slug, v)).name });
      const changes = Object.fromEntries(
        Object.entries(v).filter(
          ([k, value]) => JSON.stringify(current[k as keyof CrewValues]) !== JSON.stringify(value),
        ),
      );
      const saved =
        Object.keys(changes).length > 0 ? await updateCrew(commune.slug, current.id, changes) : current;
      return t('settings.crews.updated', { name: saved.name });
    });

  const crews = data?.crews ?? [];
  const edited = crews.find((c) => c.id === editing);
  return (
    <Section
      id="settings-crews"
      title={t('settings.crews.heading')}
      hint={t('settings.crews.hint')}
      loaded={data !== undefined}
      failed={failed}
      onRetry={reload}
      notice={notice}
      error={error}
    >
      {crews.length === 0 ? (
        <p>{t('settings.crews.empty')}</p>
      ) : (
        <ul className="staff-crew-cards">
          {crews.map((c) => (
            <li key={c.id} className={c.active ? 'staff-crew-card' : 'staff-crew-card staff-row-inactive'}>
              <h3>{c.name}</h3>
              <p>
                {c.workTypes.length === 0
                  ? t('settings.crews.anyWork')
                  : c.workTypes.map((w) => t(`common.workType_${w}`, { defaultValue: w })).join(', ')}{' '}
                · {t('common.minutes', { count: c.workingMinutes })} · {c.speedKmh} km/h ·{' '}
                {c.active ? t('settings.crews.active') : t('settings.crews.inactive')}
              </p>
              <div className="staff-row-actions">
                <button
                  type="button"
                  className="staff-small-button"
                  disabled={busy}
                  aria-label={`${t('settings.edit')} ${c.name}`}
                  onClick={() => setEditing(c.id)}
                >
                  {t('settings.edit')}
                </button>
                <button
                  type="button"
                  className="staff-small-button"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      const saved = await updateCrew(commune.slug, c.id, { active: !c.active });
                      return t('settings.crews.updated', { name: saved.name });
                    })
                  }
                >
                  {t(c.active ? 'settings.crews.deactivate' : 'settings.crews.activate', { name: c.name })}
                </button>
              </div>
              <CrewMembers
                crew={c}
                users={data?.users ?? []}
                busy={busy}
                onChange={(userId, member, email) =>
                  void run(async () => {
                    await setCrewMember(commune.slug, c.id, userId, member);
                    return t(member ? 'settings.crews.memberAdded' : 'settings.crews.memberRemoved', {
                      email,
                      crew: c.name,
                    });
                  }, false)
                }
              />
            </li>
          ))}
        </ul>
      )}
      {editing === undefined ? (
        <button type="button" className="staff-button staff-inline-button" onClick={() => setEditing('new')}>
          {t('settings.crews.add')}
        </button>
      ) : (
        <CrewForm
          key={editing}
          {...(edited ? { initial: edited } : {})}
          heading={
            edited ? t('settings.crews.editHeading', { name: edited.name }) : t('settings.crews.addHeading')
          }
          busy={busy}
          onSubmit={save(edited)}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </Section>
  );
}
