import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';

type Entry = StaffReport['history'][number];

/** The words of an entry, whatever the feature that wrote it: its note, or its text (notes, public updates). */
function wordsOf(e: Entry): string | null {
  const extra = e as Entry & { text?: unknown };
  return e.note ?? (typeof extra.text === 'string' ? extra.text : null);
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
