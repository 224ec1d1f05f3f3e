import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicReport } from '../../../server/src/contract/reports';
import { fetchMine } from '../api/api';
import type { OutboxRecord, SentRecord } from '../offline/db';
import { useOnline, useOutboxState, useServices } from '../offline/hooks';
import { categoryLabel } from '../report/CategoryGrid';
import { routeHref } from '../shell/route';
import { CategoryIcon } from '../ui/CategoryIcon';
import { describeSyncError } from './errors';
import { subscribeMine } from './liveEvents';
import { mergeMine, type MineItem } from './mine';
import { StatusBadge } from './StatusBadge';
import { useObjectUrl } from './useObjectUrl';

/** The reports sent from this device: server status when online, local state always. */
export function MyReportsScreen() {
  const { t, i18n } = useTranslation();
  const services = useServices();
  const outbox = useOutboxState();
  const online = useOnline();
  const [local, setLocal] = useState<{ queued: OutboxRecord[]; sent: SentRecord[] } | null>(null);
  const [server, setServer] = useState<PublicReport[] | null>(null);
  const [serverFailed, setServerFailed] = useState(false);

  // Local lists follow every outbox change (an entry sent moves from queued to sent).
  const outboxVersion = `${outbox.entries.map((e) => `${e.id}:${e.state}:${e.attempts}`).join()}|${outbox.inFlight}`;
  useEffect(() => {
    let live = true;
    void Promise.all([services.store.listQueued(), services.store.listSent()]).then(
      ([queued, sent]) => live && setLocal({ queued, sent }),
    );
    return () => {
      live = false;
    };
  }, [services.store, outboxVersion]);

  const sentCount = local?.sent.length ?? 0;
  const [reloads, setReloads] = useState(0);
  const serverRef = useRef(server);
  serverRef.current = server;
  useEffect(() => {
    if (!online) return;
    let live = true;
    void services
      .token()
      .then((token) => fetchMine(token))
      .then((items) => {
        if (!live) return;
        setServer(items);
        setServerFailed(false);
      })
      .catch(() => live && setServerFailed(true));
    return () => {
      live = false;
    };
  }, [services, online, sentCount, reloads]);

  // Live: a report's status changes on screen when the town hall or a crew changes it ("fixed").
  useEffect(() => {
    if (!online) return;
    let stop: (() => void) | undefined;
    let live = true;
    void services.token().then((token) => {
      if (!live) return;
      stop = subscribeMine(token, {
        // Each (re)connection reloads the list: what changed while away is shown too.
        onOpen: () => setReloads((n) => n + 1),
        onEvent: (e) => {
          const to = e.toStatus;
          if (!to) return;
          // A report the list does not have yet: reload it; otherwise change its status in place.
          if (!serverRef.current?.some((r) => r.id === e.reportId)) setReloads((n) => n + 1);
          else
            setServer((list) => list?.map((r) => (r.id === e.reportId ? { ...r, status: to } : r)) ?? list);
        },
      });
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [services, online]);

  const items = local ? mergeMine(local.queued, local.sent, online ? server : null, outbox) : null;
  const waiting = outbox.entries.filter((e) => e.state === 'waiting').length;
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <section className="mine" aria-labelledby="mine-title">
      <h2 id="mine-title" className="screen-title">
        {t('mine.title')}
      </h2>
      {!online && <p className="notice notice-info">{t('mine.offline')}</p>}
      {online && serverFailed && <p className="notice notice-warn">{t('mine.loadFailed')}</p>}
      {waiting > 0 && (
        <button type="button" className="button button-secondary" onClick={() => services.syncNow()}>
          {t('mine.sendNow')}
        </button>
      )}
      {items === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <div className="empty">
          <p>{t('mine.empty')}</p>
          <a className="button button-primary button-big" href={routeHref({ name: 'report' })}>
            {t('mine.emptyAction')}
          </a>
        </div>
      ) : (
        <ul className="mine-list" data-testid="mine-list">
          {items.map((item) => (
            <MineRow key={item.id} item={item} when={date.format(item.at)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function MineRow({ item, when }: { item: MineItem; when: string }) {
  const { t } = useTranslation();
  const thumb = useObjectUrl(item.thumb);
  return (
    <li>
      <a
        className="mine-item"
        href={routeHref({ name: 'detail', id: item.id })}
        data-testid="mine-item"
        data-local={item.local ?? ''}
      >
        <span className="mine-thumb" aria-hidden="true">
          {thumb ? <img src={thumb} alt="" /> : <CategoryIcon icon={item.category.icon} />}
        </span>
        <span className="mine-text">
          <span className="mine-category">{categoryLabel(item.category)}</span>
          <StatusBadge item={item} />
          <span className="mine-meta">
            {when}
            {item.commune ? ` · ${item.commune}` : ''}
          </span>
          {item.lastError && item.local !== 'sent' && (
            <span className="mine-error">{describeSyncError(t, item.lastError)}</span>
          )}
        </span>
      </a>
    </li>
  );
}
