import type { Request, Response } from 'express';
import type { EventsHub } from './events.hub';
import type { LiveEvent } from './events.repo';

const HEARTBEAT_MS = 15_000;
const BATCH = 200;

/**
 * Serves a server-sent events stream: replays what the client missed since `Last-Event-ID`
 * (or `?after=`), then pushes new events as the hub wakes it. `read` fetches events after an
 * id for this client's scope (communes for staff, own reports for a resident).
 */
export async function serveEventStream(
  req: Request,
  res: Response,
  hub: EventsHub,
  startId: number,
  read: (afterId: number, limit: number) => Promise<LiveEvent[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
  res.flushHeaders();
  res.write('retry: 2000\n\n');

  let last = startId;
  let busy = false;
  let again = false;
  let closed = false;
  const pump = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        for (;;) {
          const events = await read(last, BATCH);
          for (const e of events) {
            if (closed) return;
            res.write(`id: ${e.id}\nevent: report\ndata: ${JSON.stringify(e)}\n\n`);
            last = e.id;
          }
          if (events.length < BATCH) break;
        }
      } while (again && !closed);
    } catch {
      // a failed read is retried on the next wake-up
    } finally {
      busy = false;
    }
  };
  const unsubscribe = hub.onWake(() => void pump());
  const unsubscribeStop = hub.onStop(() => res.end());
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  req.on('close', () => {
    closed = true;
    unsubscribe();
    unsubscribeStop();
    clearInterval(heartbeat);
  });
  await pump();
}

/** The id a stream resumes from: Last-Event-ID (EventSource reconnects) or `?after=`. */
export function resumeId(req: Request): number | undefined {
  const raw = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}
