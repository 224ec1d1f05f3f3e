import { hrefFor } from '../../route';

/** Where the history screen was last (its filter and view), so a report's page can lead back to it. */
const KEY = 'vigie.staff.history';

/** Remembers the history screen's address for this tab. */
export function rememberHistory(href: string): void {
  try {
    sessionStorage.setItem(KEY, href);
  } catch {
    // storage unavailable: the way back is the plain history screen
  }
}

/** The history screen's last address in this tab, or the plain screen. */
export function lastHistoryHref(): string {
  try {
    const href = sessionStorage.getItem(KEY);
    if (href?.startsWith(hrefFor('history'))) return href;
  } catch {
    // storage unavailable
  }
  return hrefFor('history');
}
