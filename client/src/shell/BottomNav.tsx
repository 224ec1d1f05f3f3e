import { useTranslation } from 'react-i18next';
import { outboxCounts } from '../offline/outbox.machine';
import { useOutboxState } from '../offline/hooks';
import { routeHref, type Route } from './route';

/** The two destinations, at the bottom where the thumb is. */
export function BottomNav({ route }: { route: Route }) {
  const { t } = useTranslation();
  const { waiting, attention } = outboxCounts(useOutboxState());
  const pending = waiting + attention;
  const onMine = route.name !== 'report';
  return (
    <nav className="bottom-nav" aria-label={t('nav.label')}>
      <a href={routeHref({ name: 'report' })} aria-current={onMine ? undefined : 'page'}>
        <svg
          width="24"
          height="24"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
          focusable="false"
        >
          <path d="M4 8h3l2-3h6l2 3h3v11H4z" />
          <circle cx="12" cy="13" r="3.5" />
        </svg>
        {t('nav.report')}
      </a>
      <a href={routeHref({ name: 'mine' })} aria-current={onMine ? 'page' : undefined}>
        <svg
          width="24"
          height="24"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
          focusable="false"
        >
          <path d="M5 4h14v16H5zM8 9h8M8 13h8M8 17h5" />
        </svg>
        {t('nav.mine')}
        {pending > 0 && (
          <span className="nav-count" aria-hidden="true">
            {pending}
          </span>
        )}
      </a>
    </nav>
  );
}
