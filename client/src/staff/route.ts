import { useSyncExternalStore, type MouseEvent } from 'react';

/**
 * The staff area's URL router: each screen has an address (`/staff/history?status=new`,
 * `/staff/reports/<id>`), so a filtered list or a report can be bookmarked, shared, opened in a
 * new tab, and the browser's back button works. History API only: no dependency.
 */

/** The screens of the staff area. `report` is one report's page (reached from lists). */
export const STAFF_VIEWS = [
  'crew',
  'planning',
  'board',
  'history',
  'report',
  'stats',
  'settings',
  'account',
] as const;
export type StaffView = (typeof STAFF_VIEWS)[number];

/** Where the staff area is. */
export const STAFF_BASE = '/staff/';

/** A parsed staff address. */
export interface StaffRoute {
  /** Undefined at `/staff/` itself: the user's first screen. */
  view: StaffView | undefined;
  /** The report id of `/staff/reports/<id>`. */
  id?: string;
  /** The query string (a list's filters). */
  query: URLSearchParams;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a location under /staff/. Unknown paths give the first screen. */
export function parseRoute(pathname: string, search: string): StaffRoute {
  const query = new URLSearchParams(search);
  const rest = pathname.startsWith(STAFF_BASE) ? pathname.slice(STAFF_BASE.length) : '';
  const [first, second] = rest.split('/').filter(Boolean);
  if (first === 'reports' && second && UUID.test(second))
    return { view: 'report', id: second.toLowerCase(), query };
  const view = STAFF_VIEWS.find((v) => v === first && v !== 'report');
  return { view, query };
}

/** The address of a screen (with a query for lists, an id for a report). */
export function hrefFor(
  view: StaffView,
  opts: { id?: string; query?: URLSearchParams | string } = {},
): string {
  const q = opts.query === undefined ? '' : String(opts.query);
  const path = view === 'report' ? `${STAFF_BASE}reports/${opts.id ?? ''}` : `${STAFF_BASE}${view}`;
  return q ? `${path}?${q}` : path;
}

const CHANGE = 'vigie:route';

/** Goes to a staff address without reloading; `replace` keeps the back button where it was (filter edits). */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => location.pathname + location.search;

/** The current staff route; re-renders on navigation and on the back/forward buttons. */
export function useStaffRoute(): StaffRoute {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  return parseRoute(url.pathname, url.search);
}

/** Props for a link that navigates in-app on a plain click and still opens a new tab on ctrl/middle click. */
export function linkProps(href: string): { href: string; onClick: (e: MouseEvent) => void } {
  return {
    href,
    onClick: (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(href);
    },
  };
}
