import { useCallback, useEffect, useState } from 'react';

/** A figure being fetched: loading, loaded, or failed (with a retry). */
export type FigureState<T> =
  { state: 'loading' } | { state: 'ready'; data: T } | { state: 'error'; error: unknown; retry: () => void };

/**
 * Fetches a figure whenever `key` (the query it depends on) changes; an answer to an older
 * query never overwrites a newer one.
 */
export function useFigure<T>(key: string, load: () => Promise<T>): FigureState<T> {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ key: string; value: FigureState<T> }>({
    key: '',
    value: { state: 'loading' },
  });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setResult({ key, value: { state: 'loading' } });
    load().then(
      (data) => live && setResult({ key, value: { state: 'ready', data } }),
      (error: unknown) => live && setResult({ key, value: { state: 'error', error, retry } }),
    );
    return () => {
      live = false;
    };
    // `key` stands for the inputs of `load`.
  }, [key, attempt]);
  return result.key === key ? result.value : { state: 'loading' };
}
