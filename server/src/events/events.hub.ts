import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { latestEventId } from './events.repo';

/** The channel report_events inserts NOTIFY on (a wake-up hint; the table is the truth). */
export const EVENTS_CHANNEL = 'vigie_events';

/**
 * Wakes live streams when report_events grows. The events table is durable and ordered, so a
 * stream reads what it missed from its last id; this hub only says "look now". Wake-ups come
 * from LISTEN/NOTIFY on a real PostgreSQL (so several server instances see each other's
 * changes within milliseconds) and from a short poll of max(id), which is what works on the
 * embedded database, where NOTIFY does not cross connections.
 */
export class EventsHub {
  private readonly emitter = new EventEmitter();
  private lastId = 0;
  private timer: NodeJS.Timeout | undefined;
  private listener: PoolClient | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly pollMs = 1000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Starts polling, and listening when the server supports it. */
  async start(listen: boolean): Promise<void> {
    this.lastId = await latestEventId(this.pool);
    if (listen) {
      try {
        this.listener = await this.pool.connect();
        this.listener.on('notification', () => this.wake());
        this.listener.on('error', () => {
          this.listener?.release(true);
          this.listener = undefined;
        });
        await this.listener.query(`LISTEN ${EVENTS_CHANNEL}`);
      } catch {
        this.listener?.release(true);
        this.listener = undefined; // polling alone still delivers everything
      }
    }
    const tick = async () => {
      if (this.stopped) return;
      try {
        const id = await latestEventId(this.pool);
        if (id > this.lastId) {
          this.lastId = id;
          this.wake();
        }
      } catch {
        // the database is briefly unreachable: the next tick retries
      }
      if (!this.stopped) this.schedule(tick);
    };
    this.schedule(tick);
  }

  private schedule(tick: () => Promise<void>): void {
    this.timer = setTimeout(() => void tick(), this.pollMs);
    this.timer.unref(); // never keeps the process alive on its own
  }

  /** Tells streams to look now (called after this process commits events, and on NOTIFY). */
  wake(): void {
    this.emitter.emit('wake');
  }

  /** Subscribes to wake-ups; returns the unsubscribe function. */
  onWake(fn: () => void): () => void {
    this.emitter.on('wake', fn);
    return () => this.emitter.off('wake', fn);
  }

  /** Subscribes to the hub's end (server shutdown): streams close so the server can stop. */
  onStop(fn: () => void): () => void {
    this.emitter.on('stop', fn);
    return () => this.emitter.off('stop', fn);
  }

  /** Stops polling and listening, and ends every open stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.emitter.emit('stop');
    clearTimeout(this.timer);
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${EVENTS_CHANNEL}`).catch(() => {});
      this.listener.release();
      this.listener = undefined;
    }
  }
}
