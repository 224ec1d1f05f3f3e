import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutboxState } from '../offline/hooks';
import { navigate } from '../shell/route';

/** Where a just-saved report stands, from the outbox state. */
export type SavedPhase = 'sending' | 'queued' | 'attention' | 'sent';

/** Props of the confirmation shown after saving. */
export interface SavedPanelProps {
  id: string;
  commune: string | null;
  onAnother(): void;
}

/**
 * The report is on the device (the outbox transaction committed): say so, then follow its
 * sending live — sent, or waiting for a network, or refused.
 */
export function SavedPanel({ id, commune, onAnother }: SavedPanelProps) {
  const { t } = useTranslation();
  const state = useOutboxState();
  const entry = state.entries.find((e) => e.id === id);
  const phase: SavedPhase = !entry
    ? 'sent'
    : entry.state !== 'waiting'
      ? 'attention'
      : state.inFlight === id
        ? 'sending'
        : 'queued';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="saved" aria-labelledby="saved-title" data-testid="saved-panel" data-phase={phase}>
      <div className="saved-icon" aria-hidden="true">
        ✓
      </div>
      <h2 id="saved-title" tabIndex={-1} ref={heading}>
        {t('saved.title')}
      </h2>
      <p role="status" className={`saved-status saved-${phase}`}>
        {phase === 'sent' && (commune ? t('saved.sent', { commune }) : t('saved.sentNoCommune'))}
        {phase === 'sending' && t('saved.sending')}
        {phase === 'queued' && t('saved.queued')}
        {phase === 'attention' && t('saved.attention')}
      </p>
      <div className="saved-actions">
        <button type="button" className="button button-primary button-big" onClick={onAnother}>
          {t('saved.another')}
        </button>
        <button
          type="button"
          className="button button-secondary button-big"
          onClick={() => navigate({ name: 'mine' })}
        >
          {t('saved.mine')}
        </button>
      </div>
    </section>
  );
}
