import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../server/src/contract/auth';

/** Who is signed in, with which roles where, until when; and the way out. */
export function SignedIn({ me, onSignOut, busy }: { me: MeAnswer; onSignOut: () => void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const until = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeStyle: 'short' }).format(
    new Date(me.session.expiresAt),
  );
  return (
    <section className="staff-card" aria-labelledby="signed-in-title">
      <h1 id="signed-in-title">{t('signedIn.heading')}</h1>
      <p>{t('signedIn.as', { email: me.user.email })}</p>
      {me.user.superadmin && <p>{t('signedIn.superadmin')}</p>}
      <h2>{t('signedIn.roles')}</h2>
      {me.roles.length === 0 ? (
        <p className="staff-muted">{t('signedIn.noRole')}</p>
      ) : (
        <ul className="staff-roles">
          {me.roles.map((r) => (
            <li key={`${r.commune.id}-${r.role}`}>
              <strong>{r.commune.name}</strong> — {t(`roles.${r.role}`)}
              {!r.active && <span className="staff-muted"> ({t('signedIn.inactive')})</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="staff-hint">{t('signedIn.expires', { date: until })}</p>
      <button type="button" className="staff-button staff-secondary" onClick={onSignOut} disabled={busy}>
        {t('signedIn.signOut')}
      </button>
    </section>
  );
}
