import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, eraseContact } from '../api/api';
import { currentLanguage } from '../i18n';
import { useOnline, useServices } from '../offline/hooks';

/**
 * "Your email address" on a report sent from this device: the address kept for notifications
 * and a button to erase it from the town hall's servers (a confirmation first, then a clear
 * message). Also removes the address from this device's own copy of the report.
 */
export function ContactSection({
  reportId,
  email,
  communeSlug,
  onErased,
}: {
  reportId: string;
  email: string | null;
  communeSlug: string | null;
  onErased: () => void;
}) {
  const { t } = useTranslation();
  const services = useServices();
  const online = useOnline();
  const [confirming, setConfirming] = useState(false);
  const [state, setState] = useState<'idle' | 'erasing' | 'erased' | { failed: string }>('idle');

  async function erase() {
    setState('erasing');
    try {
      await eraseContact(reportId, await services.token());
      const sent = await services.db.sent.get(reportId);
      if (sent) {
        const { contactEmail: _e, locale: _l, ...fields } = sent.fields;
        await services.db.sent.put({ ...sent, fields });
      }
      setConfirming(false);
      setState('erased');
      onErased();
    } catch (err) {
      setState({ failed: err instanceof ApiError ? err.message : t('mine.networkError') });
    }
  }

  const privacy = communeSlug
    ? `/privacy/${communeSlug}${currentLanguage() === 'en' ? '?lang=en' : ''}`
    : null;
  return (
    <section aria-labelledby="contact-title" className="contact-section">
      <h3 id="contact-title" className="section-title">
        {t('mine.detail.contactTitle')}
      </h3>
      <div role="status">
        {state === 'erased' ? (
          <p className="notice notice-info">{t('mine.detail.erased')}</p>
        ) : typeof state === 'object' ? (
          <p className="notice notice-error">{t('mine.detail.eraseFailed', { message: state.failed })}</p>
        ) : null}
      </div>
      {email ? (
        <>
          <p className="hint">{t('mine.detail.contact', { email })}</p>
          {!confirming ? (
            <button
              type="button"
              className="button button-danger button-big"
              disabled={!online}
              aria-describedby={!online ? 'contact-offline' : undefined}
              onClick={() => setConfirming(true)}
            >
              {t('mine.detail.erase')}
            </button>
          ) : (
            <div className="notice notice-warn" role="group" aria-labelledby="erase-confirm-title">
              <p id="erase-confirm-title">
                <strong>{t('mine.detail.eraseConfirmTitle')}</strong>
              </p>
              <p>{t('mine.detail.eraseConfirm')}</p>
              <div className="detail-actions">
                <button
                  type="button"
                  className="button button-danger"
                  disabled={state === 'erasing' || !online}
                  onClick={() => void erase()}
                >
                  {state === 'erasing' ? t('mine.detail.erasing') : t('mine.detail.eraseYes')}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={state === 'erasing'}
                  onClick={() => setConfirming(false)}
                >
                  {t('mine.detail.eraseNo')}
                </button>
              </div>
            </div>
          )}
          {!online && (
            <p id="contact-offline" className="hint">
              {t('mine.detail.eraseOffline')}
            </p>
          )}
        </>
      ) : (
        state !== 'erased' && <p className="hint">{t('mine.detail.noContact')}</p>
      )}
      {privacy && (
        <p>
          <a href={privacy} target="_blank" rel="noopener">
            {t('mine.detail.privacy')}
          </a>
        </p>
      )}
    </section>
  );
}
