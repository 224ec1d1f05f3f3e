import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOnline, useReference } from '../offline/hooks';
import { registerServiceWorker } from '../offline/register-sw';
import { ReportScreen } from '../report/ReportScreen';
import { BottomNav } from './BottomNav';
import { Header } from './Header';
import { useRoute } from './route';
import { UpdatePrompt } from './UpdatePrompt';

// Not needed to show the capture screen: loaded on demand (and precached for offline use).
const MyReportsScreen = lazy(() =>
  import('../mine/MyReportsScreen').then((m) => ({ default: m.MyReportsScreen })),
);
const ReportDetail = lazy(() => import('../mine/ReportDetail').then((m) => ({ default: m.ReportDetail })));

/** The resident app: header, the current screen, the bottom navigation. */
export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const online = useOnline();
  const { tiles, communes } = useReference();
  const [applyUpdate, setApplyUpdate] = useState<(() => void) | null>(null);

  useEffect(() => registerServiceWorker((apply) => setApplyUpdate(() => apply)), []);
  useEffect(() => {
    document.title =
      route.name === 'report'
        ? `${t('app.name')} — ${t('app.tagline')}`
        : `${t('mine.title')} — ${t('app.name')}`;
  }, [route.name, t]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header communes={communes} />
      <main id="main" className="app-main">
        {applyUpdate && <UpdatePrompt onReload={applyUpdate} />}
        {!online && route.name === 'report' && (
          <p className="notice notice-info offline-banner">{t('network.offline')}</p>
        )}
        {/* The capture screen stays mounted: a half-filled report survives a look at "My reports". */}
        <div hidden={route.name !== 'report'}>
          <ReportScreen tiles={tiles} communes={communes} />
        </div>
        {route.name !== 'report' && (
          <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
            {route.name === 'mine' && <MyReportsScreen />}
            {route.name === 'detail' && <ReportDetail key={route.id} id={route.id} tiles={tiles} />}
          </Suspense>
        )}
      </main>
      <BottomNav route={route} />
    </>
  );
}
