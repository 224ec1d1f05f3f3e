import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { errorText } from './errors';

/** The state of one form's submission: busy while it runs, then an error to act on or a notice. */
export interface Action {
  busy: boolean;
  error: string;
  notice: string;
  /** Runs a call that answers the updated report; hands it to `onChanged` and says `done`. */
  run(call: () => Promise<StaffReport>, done: string | ((r: StaffReport) => string)): Promise<boolean>;
  /** Shows an error found before calling the server. */
  fail(message: string): void;
}

/** One form's submission state, reporting the updated report to the page. */
export function useAction(onChanged: (report: StaffReport) => void): Action {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const run = useCallback(
    async (call: () => Promise<StaffReport>, done: string | ((r: StaffReport) => string)) => {
      setBusy(true);
      setError('');
      setNotice('');
      try {
        const report = await call();
        onChanged(report);
        setNotice(typeof done === 'string' ? done : done(report));
        return true;
      } catch (err) {
        setError(errorText(t, err));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onChanged, t],
  );
  const fail = useCallback((message: string) => {
    setNotice('');
    setError(message);
  }, []);
  return { busy, error, notice, run, fail };
}
