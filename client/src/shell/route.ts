import { useEffect, useState } from 'react';

/** The screens of the resident app, addressed by the URL hash (works from the precached shell). */
export type Route = { name: 'report' } | { name: 'mine' } | { name: 'detail'; id: string };

/** Parses `#/`, `#/mine`, `#/mine/<id>`. Unknown hashes show the capture screen. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const detail = /^\/mine\/([0-9a-fA-F-]{36})$/.exec(path);
  if (detail) return { name: 'detail', id: detail[1]!.toLowerCase() };
  if (path === '/mine') return { name: 'mine' };
  return { name: 'report' };
}

/** The hash of a route. */
export function routeHref(route: Route): string {
  switch (route.name) {
    case 'report':
      return '#/';
    case 'mine':
      return '#/mine';
    case 'detail':
      return `#/mine/${route.id}`;
  }
}

/** The current route, following the hash (back button included). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

/** Goes to a route. */
export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}
