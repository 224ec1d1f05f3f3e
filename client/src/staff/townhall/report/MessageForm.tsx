import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_NOTE, type StaffReport } from '../../../../../server/src/contract/staff';
import { Feedback } from './Feedback';
import { addMessage } from './reportApi';
import { useAction } from './useAction';

/**
 * Internal notes (staff only, never published) and public updates to the resident (shown in
 * "my reports" and emailed to them): the kind is chosen explicitly, so nobody publishes a note
 * by mistake.
 */
export function MessageForm({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (r: StaffReport) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const action = useAction(onChanged);
  const kinds = [
    ...(report.can.note ? (['note'] as const) : []),
    ...(report.can.triage ? (['update'] as const) : []),
  ];
  const [kind, setKind] = useState<'note' | 'update'>(kinds[0] ?? 'note');
  const [text, setText] = useState('');
  if (kinds.length === 0) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    const ok = await action.run(
      () => addMessage(report.id, kind, { text: body }),
      t(kind === 'note' ? 'moderation.messages.doneNote' : 'moderation.messages.doneUpdate'),
    );
    if (ok) setText('');
  }

  return (
    <section className="ra-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('moderation.messages.heading')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {kinds.length > 1 && (
          <fieldset className="ra-fieldset">
            <legend>{t('moderation.messages.kind')}</legend>
            {kinds.map((k) => (
              <label key={k} className="ra-check">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                <span>{t(`moderation.messages.${k}`)}</span>
              </label>
            ))}
          </fieldset>
        )}
        <div className="ra-field">
          <label htmlFor={`${id}-text`}>
            {kinds.length > 1 ? t('moderation.messages.text') : t(`moderation.messages.${kind}`)}
          </label>
          <textarea
            id={`${id}-text`}
            rows={3}
            maxLength={MAX_NOTE}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button
          type="submit"
          className={kind === 'update' ? 'ra-button ra-public' : 'ra-button'}
          disabled={!text.trim() || action.busy}
        >
          {t(kind === 'note' ? 'moderation.messages.submitNote' : 'moderation.messages.submitUpdate')}
        </button>
      </form>
      <Feedback action={action} />
    </section>
  );
}
