import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { CommuneView } from '../../../server/src/contract/communes';
import type { TileConfig } from '../api/api';
import type { OutboxState } from './outbox.machine';
import { cachedCommunes, cachedTileConfig, communes, tileConfig } from './reference';
import type { OfflineServices } from './services';

/** The page's offline services (database, outbox), provided once at the root. */
export const ServicesContext = createContext<OfflineServices | null>(null);

/** The offline services; throws outside the provider (a wiring bug, not a runtime condition). */
export function useServices(): OfflineServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

/** The outbox state, re-rendering on every change (badge, saved panel, lists). */
export function useOutboxState(): OutboxState {
  const s = useServices();
  return useSyncExternalStore(s.subscribe, s.snapshot);
}

/** `navigator.onLine`, kept current. It can say "online" with no real connection: only a hint. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/**
 * Tile settings and the communes served: the cached values at once, then the server's. Tiles
 * are null until known, so no tile is ever requested from a server the site does not use.
 */
export function useReference(): { tiles: TileConfig | null; communes: CommuneView[] } {
  const { db } = useServices();
  const online = useOnline();
  const [tiles, setTiles] = useState<TileConfig | null>(null);
  const [list, setList] = useState<CommuneView[]>([]);
  useEffect(() => {
    let live = true;
    void cachedCommunes(db).then((c) => live && c.length > 0 && setList(c));
    void cachedTileConfig(db).then((t) => live && t && setTiles((cur) => cur ?? t));
    void tileConfig(db).then((t) => live && setTiles(t));
    void communes(db).then((c) => live && setList(c));
    return () => {
      live = false;
    };
  }, [db, online]);
  return { tiles, communes: list };
}
