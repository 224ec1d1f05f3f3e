import type { Express } from 'express';

/** A route as registered: method and full path template, e.g. `GET /api/reports/:id`. */
export interface RouteEntry {
  method: string;
  path: string;
}

interface Listable {
  listRoutes(): Array<{ path: string | RegExp; methods: string[] | undefined; router: Listable | undefined }>;
}

/**
 * Every route of the app, walking mounted routers (router 2's listRoutes). The authorisation
 * matrix test compares this with its table, so a route nobody thought about fails the build.
 * The automatic HEAD of a GET route is left out.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (router: Listable, prefix: string) => {
    for (const r of router.listRoutes()) {
      const path = typeof r.path === 'string' ? r.path : `regexp:${r.path.source}`;
      if (r.router) {
        walk(r.router, prefix + (path === '/' ? '' : path));
        continue;
      }
      const methods = r.methods ?? [];
      for (const m of methods) {
        if (m === 'HEAD' && methods.includes('GET')) continue;
        out.push({ method: m, path: prefix + path });
      }
    }
  };
  walk(app.router as unknown as Listable, '');
  return out;
}
