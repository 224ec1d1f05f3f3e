import type { Action } from './useAction';

/** A form's outcome: an alert to act on, or a quiet confirmation (both announced to screen readers). */
export function Feedback({ action }: { action: Action }) {
  return (
    <>
      <p role="alert" className={action.error ? 'ra-error' : 'ra-empty'}>
        {action.error}
      </p>
      <p role="status" className={action.notice ? 'ra-notice' : 'ra-empty'}>
        {action.notice}
      </p>
    </>
  );
}
