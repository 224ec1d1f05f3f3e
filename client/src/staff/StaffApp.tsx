import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../server/src/contract/auth';
import { fetchMe, logout } from './api';
import { chooseLanguage } from './i18n';
import { SignedIn } from './SignedIn';
import { SignIn } from './SignIn';
import { CrewRounds } from './crew/CrewRounds';
import { PlanningScreen } from './plans/PlanningScreen';
import { PlansBoard } from './plans/PlansBoard';
import { hrefFor, linkProps, useStaffRoute, type StaffView } from './route';
import { HistoryScreen } from './townhall/history/HistoryScreen';
import { ReportPage } from './townhall/report/ReportPage';
import { SettingsScreen } from './townhall/settings/SettingsScreen';
import { StatsScreen } from './townhall/stats/StatsScreen';

/** The screens in the navigation (a report's page is reached from the lists). */
type View = Exclude<StaffView, 'report'>;

/** The screens a staff member may open, from their active roles (crew rounds first for crews). */
function viewsFor(me: MeAnswer): { views: View[]; planCommunes: Array<{ id: number; name: string }> } {
  const active = me.roles.filter((r) => r.active);
  const planCommunes = active
    .filter((r) => r.role === 'supervisor' || r.role === 'admin')
    .map((r) => ({ id: r.commune.id, name: r.commune.name }))
    .filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i);
  const townHall = me.user.superadmin || active.some((r) => r.role === 'supervisor' || r.role === 'admin');
  const views: View[] = [];
  if (active.some((r) => r.role === 'crew')) views.push('crew');
  if (planCommunes.length > 0) views.push('planning', 'board');
  if (townHall) views.push('history', 'stats');
  if (me.user.superadmin || active.some((r) => r.role === 'admin')) views.push('settings');
  views.push('account');
  return { views, planCommunes };
}

/** The staff area: sign-in, then the screens of the user's roles (crew rounds, planning, board). */
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
          <SignedInArea me={me} onSignOut={() => void signOut()} busy={busy} />
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

function SignedInArea({ me, onSignOut, busy }: { me: MeAnswer; onSignOut: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const route = useStaffRoute();
  const { views, planCommunes } = viewsFor(me);
  const townHall = views.includes('history');
  const current: StaffView =
    route.view === 'report' && townHall
      ? 'report'
      : route.view && views.includes(route.view as View)
        ? route.view
        : views[0]!;
  const navCurrent = current === 'report' ? 'history' : current;
  return (
    <>
      {views.length > 1 && (
        <nav aria-label={t('nav.label')} className="staff-nav">
          {views.map((v) => (
            <a key={v} {...linkProps(hrefFor(v))} aria-current={v === navCurrent ? 'page' : undefined}>
              {t(`nav.${v}`)}
            </a>
          ))}
        </nav>
      )}
      {current === 'crew' && <CrewRounds />}
      {current === 'planning' && <PlanningScreen communes={planCommunes} />}
      {current === 'board' && <PlansBoard />}
      {current === 'history' && <HistoryScreen me={me} />}
      {current === 'report' && route.id && <ReportPage id={route.id} />}
      {current === 'stats' && <StatsScreen />}
      {current === 'settings' && <SettingsScreen />}
      {current === 'account' && <SignedIn me={me} onSignOut={onSignOut} busy={busy} />}
    </>
  );
}
