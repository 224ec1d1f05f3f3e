import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrewView } from '../../../../../server/src/contract/settings';
import type { CommuneUserView } from '../../../../../server/src/contract/staff';

/** A crew's members, and a picker of the commune's people to add one (disabled accounts left out). */
export function CrewMembers({
  crew,
  users,
  busy,
  onChange,
}: {
  crew: CrewView;
  users: CommuneUserView[];
  busy: boolean;
  onChange: (userId: string, member: boolean, email: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [pick, setPick] = useState('');
  const members = crew.members ?? [];
  const candidates = users.filter((u) => !u.disabled && !members.some((m) => m.id === u.id));
  return (
    <div className="staff-members">
      <h4>{t('settings.crews.members')}</h4>
      {members.length === 0 ? (
        <p className="staff-hint">{t('settings.crews.noMembers')}</p>
      ) : (
        <ul>
          {members.map((m) => (
            <li key={m.id}>
              {m.email}{' '}
              <button
                type="button"
                className="staff-small-button"
                disabled={busy}
                aria-label={t('settings.crews.removeMember', { email: m.email, crew: crew.name })}
                onClick={() => onChange(m.id, false, m.email)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <form
          className="staff-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const u = candidates.find((c) => c.id === pick);
            if (u) onChange(u.id, true, u.email);
            setPick('');
          }}
        >
          <label htmlFor={`${id}-pick`}>{t('settings.crews.addMember', { crew: crew.name })}</label>
          <select id={`${id}-pick`} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('settings.crews.pickMember')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email} ({u.roles.map((r) => t(`roles.${r}`)).join(', ')})
              </option>
            ))}
          </select>
          <button type="submit" className="staff-small-button" disabled={busy || pick === ''}>
            {t('settings.crews.addMemberButton')}
          </button>
        </form>
      )}
    </div>
  );
}
