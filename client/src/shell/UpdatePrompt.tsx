import { useTranslation } from 'react-i18next';

/** "A new version is ready — reload": the person decides when the code changes. */
export function UpdatePrompt({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <p>{t('update.available')}</p>
      <button type="button" className="button button-primary" onClick={onReload}>
        {t('update.reload')}
      </button>
    </div>
  );
}
