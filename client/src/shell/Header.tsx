import { useTranslation } from 'react-i18next';
import type { CommuneView } from '../../../server/src/contract/communes';
import { chooseLanguage, currentLanguage } from '../i18n';
import { outboxCounts } from '../offline/outbox.machine';
import { useOutboxState } from '../offline/hooks';
import { routeHref } from './route';

/** App name, communes served, the outbox badge and the language switch. */
export function Header({ communes }: { communes: CommuneView[] }) {
  const { t } = useTranslation();
  const counts = outboxCounts(useOutboxState());
  const other = currentLanguage() === 'fr' ? 'en' : 'fr';
  const names = communes.map((c) => c.name);
  return (
    <header className="app-header">
      <div className="app-header-row">
        <h1 className="app-title">
          <img src="/icons/icon.svg" alt="" width="28" height="28" />
          {t('app.name')}
        </h1>
        <button
          type="button"
          className="lang-switch"
          lang={other}
          aria-label={t('lang.switchLabel')}
          onClick={() => chooseLanguage(other)}
        >
          {t('lang.switch')}
        </button>
      </div>
      {names.length > 0 && (
        <p className="app-communes">
          {t('app.communes', {
            count: names.length,
            names: names.slice(0, 3).join(', ') + (names.length > 3 ? '…' : ''),
          })}
        </p>
      )}
      {(counts.waiting > 0 || counts.attention > 0) && (
        <a className="outbox-badge" href={routeHref({ name: 'mine' })} data-testid="outbox-badge">
          {counts.waiting > 0 && <span>{t('outbox.waiting', { count: counts.waiting })}</span>}
          {counts.attention > 0 && (
            <span className="outbox-attention">{t('outbox.attention', { count: counts.attention })}</span>
          )}
        </a>
      )}
    </header>
  );
}
