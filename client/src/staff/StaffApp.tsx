import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../server/src/contract/auth';
import { fetchMe, logout } from './api';
import { chooseLanguage } from './i18n';
import { SignedIn } from './SignedIn';
import { SignIn } from './SignIn';

/** The staff area: sign-in, then (for now) who is signed in. Later staff screens hang off here. */
export function StaffApp() {
  const { t, i18n } = useTranslation();
  const [me, setMe] = useState<MeAnswer | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    fetchMe()
      .then((m) => setMe(m ?? null))
      .catch(() => setMe(null));
  }, []);

  async function signOut() {
    setBusy(true);
    try {
      await logout();
    } finally {
      setBusy(false);
      setMe(null);
      setNotice(t('signedIn.signedOut'));
    }
  }

  return (
    <div className="staff-page">
      <header className="staff-header">
        <span className="staff-brand">Vigie</span>
        <nav aria-label={t('language')} className="staff-lang">
          {(['fr', 'en'] as const).map((lang) => (
            <button
              key={lang}
              type="button"
              lang={lang}
              aria-pressed={i18n.language === lang}
              onClick={() => chooseLanguage(lang)}
            >
              {lang === 'fr' ? 'Français' : 'English'}
            </button>
          ))}
        </nav>
      </header>
      <main>
        <p role="status" className="staff-notice">
          {notice}
        </p>
        {me === undefined ? null : me ? (
          <SignedIn me={me} onSignOut={() => void signOut()} busy={busy} />
        ) : (
          <SignIn
            onSignedIn={(m) => {
              setNotice('');
              setMe(m);
            }}
          />
        )}
      </main>
    </div>
  );
}
