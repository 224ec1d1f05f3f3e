import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OwnReport } from '../../../server/src/contract/reports';
import { ApiError, fetchOwnReport, fetchPhoto, type TileConfig } from '../api/api';
import type { OutboxRecord, SentRecord } from '../offline/db';
import { useOnline, useOutboxState, useServices } from '../offline/hooks';
import { categoryLabel } from '../report/CategoryGrid';
import { describePlace } from '../report/location';
import { navigate, routeHref } from '../shell/route';
import { describeSyncError } from './errors';
import { historyLine, type LocalState } from './mine';
import { ContactSection } from './ContactSection';
import { StatusBadge } from './StatusBadge';
import { useObjectUrl } from './useObjectUrl';

const ReportMap = lazy(() => import('../map/ReportMap').then((m) => ({ default: m.ReportMap })));

type Local =
  { kind: 'queued'; record: OutboxRecord } | { kind: 'sent'; record: SentRecord } | { kind: 'none' };

/** One report: photos (fetched with the token), map, history; or the local copy while unsent or offline. */
export function ReportDetail({ id, tiles }: { id: string; tiles: TileConfig | null }) {
  const { t, i18n } = useTranslation();
  const services = useServices();
  const outbox = useOutboxState();
  const online = useOnline();
  const [local, setLocal] = useState<Local | null>(null);
  const [server, setServer] = useState<OwnReport | null>(null);
  const [serverError, setServerError] = useState<'not_found' | 'failed' | null>(null);
  const [photoUrls, setPhotoUrls] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const entry = outbox.entries.find((e) => e.id === id);
  const entryVersion = entry ? `${entry.state}:${entry.attempts}` : 'none';
  useEffect(() => {
    let live = true;
    void (async () => {
      const queued = await services.db.outbox.get(id);
      if (queued) return live && setLocal({ kind: 'queued', record: queued });
      const sent = await services.db.sent.get(id);
      if (live) setLocal(sent ? { kind: 'sent', record: sent } : { kind: 'none' });
    })();
    return () => {
      live = false;
    };
  }, [services.db, id, entryVersion]);

  // Photos of a queued report come from the device.
  useEffect(() => {
    if (local?.kind !== 'queued') return;
    let urls: string[] = [];
    let live = true;
    void services.store.load(id).then((q) => {
      if (!live || !q) return;
      urls = q.photos.map((b) => URL.createObjectURL(b));
      setPhotoUrls(urls);
    });
    return () => {
      live = false;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [services.store, id, local?.kind]);

  // A sent report: the server's view, photos fetched with the token header.
  const queued = local?.kind === 'queued';
  useEffect(() => {
    if (!online || queued || local === null) return;
    let live = true;
    let urls: string[] = [];
    void (async () => {
      try {
        const token = await services.token();
        const report = await fetchOwnReport(id, token);
        if (!live) return;
        setServer(report);
        setServerError(null);
        // A link from an email may open a report this device did not send: its public view has no photos.
        const photos = 'photos' in report ? report.photos : [];
        const blobs = await Promise.all(photos.map((p) => fetchPhoto(p.thumbUrl, token)));
        if (!live) return;
        urls = blobs.map((b) => URL.createObjectURL(b));
        setPhotoUrls(urls);
      } catch (err) {
        if (live) setServerError(err instanceof ApiError && err.status === 404 ? 'not_found' : 'failed');
      }
    })();
    return () => {
      live = false;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [services, id, online, queued, local === null]);

  const record = local && local.kind !== 'none' ? local.record : null;
  const localThumb = useObjectUrl(photoUrls.length === 0 ? record?.thumb : null);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' });

  if (local === null) return <p role="status">{t('common.loading')}</p>;
  if (!record && !server) {
    return (
      <section className="detail" aria-labelledby="detail-title">
        <BackLink />
        <h2 id="detail-title" className="screen-title">
          {t('mine.detail.title')}
        </h2>
        <p className={serverError === 'not_found' ? 'notice notice-warn' : ''} role="status">
          {serverError === 'not_found'
            ? t('mine.detail.notFound')
            : !online || serverError
              ? t('mine.detail.offline')
              : t('common.loading')}
        </p>
      </section>
    );
  }

  const category = server?.category ?? record!.category;
  const lat = server?.lat ?? record!.fields.lat;
  const lon = server?.lon ?? record!.fields.lon;
  const accuracy = server?.accuracy ?? record!.fields.accuracy;
  const description = server ? server.description : (record!.fields.description ?? null);
  const email = server ? server.contactEmail : (record!.fields.contactEmail ?? null);
  const localState: LocalState | null =
    local.kind === 'queued'
      ? outbox.inFlight === id
        ? 'sending'
        : (entry?.state ?? local.record.state)
      : local.kind === 'sent' || server
        ? 'sent'
        : null;
  const lastError = local.kind === 'queued' ? (entry?.lastError ?? local.record.lastError) : null;
  const attempts = local.kind === 'queued' ? (entry?.attempts ?? local.record.attempts) : 0;

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="detail" aria-labelledby="detail-title">
      <BackLink />
      <h2 id="detail-title" className="screen-title">
        {categoryLabel(category)}
      </h2>
      <p className="detail-status">
        <StatusBadge item={{ local: localState, status: server?.status ?? null }} />
        <span className="mine-meta">
          {server
            ? t('mine.detail.received', { date: date.format(Date.parse(server.receivedAt)) })
            : t('mine.detail.saved', { date: date.format(record!.createdAt) })}
          {server ? ` · ${server.commune.name}` : record?.commune ? ` · ${record.commune.name}` : ''}
        </span>
      </p>
      {!online && local.kind === 'sent' && <p className="notice notice-info">{t('mine.detail.offline')}</p>}

      {local.kind === 'queued' && (
        <div
          className={`notice ${localState === 'waiting' || localState === 'sending' ? 'notice-info' : 'notice-warn'}`}
        >
          {lastError && <p>{t('mine.lastError', { message: describeSyncError(t, lastError) })}</p>}
          {attempts > 0 && <p className="hint">{t('mine.attempts', { count: attempts })}</p>}
          <div className="detail-actions">
            {localState === 'attention' && (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => void act(() => services.retry(id))}
              >
                {t('mine.actions.retry')}
              </button>
            )}
            {localState === 'waiting' && (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => services.syncNow()}
              >
                {t('mine.sendNow')}
              </button>
            )}
            {localState === 'conflict' && (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    await services.sendAsNew(id);
                    navigate({ name: 'mine' });
                  })
                }
              >
                {t('mine.actions.sendAsNew')}
              </button>
            )}
            {localState !== 'sending' && (
              <button
                type="button"
                className="button button-danger"
                disabled={busy}
                onClick={() => {
                  if (!window.confirm(t('mine.actions.confirmDelete'))) return;
                  void act(async () => {
                    await services.remove(id);
                    navigate({ name: 'mine' });
                  });
                }}
              >
                {t('mine.actions.delete')}
              </button>
            )}
          </div>
        </div>
      )}

      {(photoUrls.length > 0 || localThumb) && (
        <>
          <h3 className="section-title">{t('mine.detail.photos')}</h3>
          <ul className="photo-grid" data-testid="detail-photos">
            {(photoUrls.length > 0 ? photoUrls : [localThumb!]).map((u, i) => (
              <li key={u} className="photo">
                <img src={u} alt={t('mine.detail.photoAlt', { n: i + 1 })} />
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 className="section-title">{t('mine.detail.place')}</h3>
      <Suspense fallback={<div className="report-map map-loading">{t('report.location.loadingMap')}</div>}>
        <ReportMap lat={lat} lon={lon} accuracy={accuracy} tiles={tiles} label={t('mine.detail.place')} />
      </Suspense>
      <p className="coordinates">
        {t('report.location.coordinates', { coords: describePlace({ lat, lon }) })}
      </p>

      {server?.hidden && (
        <p className="notice notice-info" data-testid="detail-hidden">
          {t('mine.detail.hidden')}
        </p>
      )}
      {server?.statusReason && (
        <p className="notice notice-info" data-testid="detail-reason">
          {t('mine.detail.reason', { reason: server.statusReason })}
        </p>
      )}
      {description && (
        <>
          <h3 className="section-title">{t('mine.detail.description')}</h3>
          <p className="detail-description">{description}</p>
        </>
      )}
      {server?.publicDescription && (
        <>
          <h3 className="section-title">{t('mine.detail.publicText')}</h3>
          <p className="detail-description" data-testid="detail-public-text">
            {server.publicDescription}
          </p>
          <p className="hint">{t('mine.detail.publicTextHint')}</p>
        </>
      )}
      {server && 'contactEmail' in server ? (
        <ContactSection
          reportId={id}
          email={server.contactEmail}
          communeSlug={server.commune.slug}
          onErased={() => setServer({ ...server, contactEmail: null })}
        />
      ) : (
        email && <p className="hint">{t('mine.detail.contact', { email })}</p>
      )}

      {server && 'history' in server && server.history.length > 0 && (
        <>
          <h3 className="section-title">{t('mine.detail.history')}</h3>
          <ol className="history">
            {server.history.map((h, i) => {
              const line = historyLine(h);
              return (
                <li key={`${h.at}-${i}`} data-kind={line.kind}>
                  <time dateTime={h.at}>{date.format(Date.parse(h.at))}</time>{' '}
                  {line.kind === 'created'
                    ? t('mine.history.created')
                    : line.kind === 'update'
                      ? t('mine.history.update')
                      : line.kind === 'status' && line.status
                        ? t('mine.history.status', { status: t(`mine.status.${line.status}`) })
                        : t('mine.history.other')}
                  {line.text && (
                    <span className="history-text">{t('mine.history.quote', { text: line.text })}</span>
                  )}
                  {line.reason && (
                    <span className="history-text">
                      {' '}
                      — {t('mine.history.reason', { reason: line.reason })}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <a className="back-link" href={routeHref({ name: 'mine' })}>
      <span aria-hidden="true">← </span>
      {t('common.back')}
    </a>
  );
}
