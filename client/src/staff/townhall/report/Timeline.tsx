import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';

type Entry = StaffReport['history'][number];

/** What other features may add to an entry (the text of notes and public updates, who wrote it). */
type Extra = { data?: Record<string, unknown>; text?: unknown; actorEmail?: string | null };

/** The words of an entry: the note of a status change, or the text of a note or a public update. */
function wordsOf(e: Entry): string | null {
  const x = e as Entry & Extra;
  const text = x.data?.text ?? x.text;
  return e.note ?? (typeof text === 'string' ? text : null);
}

/**
 * A report's whole history, oldest first, as staff see it: who, when, what, the status it went
 * from and to, and the entries the public never sees (internal notes, moderation) marked.
 */
export function Timeline({ history }: { history: StaffReport['history'] }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' });
  const label = (action: string) =>
    i18n.exists(`reportPage.action.${action}`) ? t(`reportPage.action.${action}`) : action.replace(/_/g, ' ');
  return (
    <section className="rp-card" aria-labelledby="rp-timeline">
      <h2 id="rp-timeline">{t('reportPage.timeline')}</h2>
      <ol className="rp-timeline">
        {history.map((e, i) => {
          const words = wordsOf(e);
          return (
            <li key={`${e.at}-${i}`} className={e.public ? undefined : 'rp-internal'}>
              <time dateTime={e.at}>{date.format(new Date(e.at))}</time>
              <strong>{label(e.action)}</strong> · {t(`reportPage.actor.${e.actorKind}`)}
              {(e as Entry & Extra).actorEmail ? ` (${(e as Entry & Extra).actorEmail})` : ''}
              {!e.public && (
                <>
                  {' '}
                  <span className="hs-badge hs-internal">{t('reportPage.internal')}</span>
                  <span className="sr-only"> ({t('reportPage.internalHint')})</span>
                </>
              )}
              {e.toStatus && e.fromStatus !== e.toStatus && (
                <div>
                  {e.fromStatus ? `${t(`townhall.status.${e.fromStatus}`)} → ` : ''}
                  {t(`townhall.status.${e.toStatus}`)}
                </div>
              )}
              {words && <p className="rp-words">{words}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
