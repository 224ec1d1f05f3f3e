import { REPORTER_TOKEN_HEADER } from '../../../server/src/contract/reports';
import type { ReportStatus } from '../../../server/src/contract/common';

/**
 * The resident's live stream of their own reports (`GET /api/reports/mine/events`). The device
 * proves ownership with the X-Reporter-Token header, which `EventSource` cannot send, so this
 * reads the server-sent events over `fetch`: it parses the stream, remembers the last event id,
 * and reconnects with `Last-Event-ID` after a drop, so nothing that happened meanwhile is missed.
 */

/** One server-sent event. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Parses the complete events in `buffer` (text/event-stream, events end with a blank line);
 * returns them, the text of the incomplete one, and the server's `retry:` if it gave one. Pure.
 */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string; retryMs?: number } {
  const messages: SseMessage[] = [];
  let retryMs: number | undefined;
  const text = buffer.replace(/\r\n?/g, '\n');
  let start = 0;
  for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', start)) {
    const block = text.slice(start, end);
    start = end + 2;
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // comment: keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (data.length > 0) messages.push({ id, event, data: data.join('\n') });
  }
  return { messages, rest: text.slice(start), ...(retryMs !== undefined ? { retryMs } : {}) };
}

/** A change to one of the device's reports. */
export interface MineEvent {
  reportId: string;
  toStatus: ReportStatus | null;
  action: string;
}

/** What the subscription needs; `fetch` and the timer are passed in so tests drive them. */
export interface LiveDeps {
  fetch: typeof fetch;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const browserDeps = (): LiveDeps => ({
  fetch: (...a) => fetch(...a),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

/** Waits before reconnecting: the server's `retry` (2 s) first, doubling to 60 s while it fails. */
export function reconnectDelayMs(failures: number, retryMs = 2000): number {
  return Math.min(60_000, retryMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Subscribes to the device's report events. `onOpen` fires on every (re)connection: the screen
 * then reloads its list, which covers anything missed before the first connection. A 4xx (bad
 * token) ends the subscription; anything else reconnects. Returns the function that stops it.
 */
export function subscribeMine(
  token: string,
  handlers: { onEvent: (e: MineEvent) => void; onOpen?: () => void },
  deps: LiveDeps = browserDeps(),
): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: unknown;
  let lastId: string | undefined;
  let failures = 0;
  let retryMs = 2000;

  const again = () => {
    if (stopped) return;
    failures += 1;
    timer = deps.setTimeout(() => void connect(), reconnectDelayMs(failures, retryMs));
  };

  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    let res: Response;
    try {
      res = await deps.fetch('/api/reports/mine/events', {
        headers: {
          Accept: 'text/event-stream',
          [REPORTER_TOKEN_HEADER]: token,
          ...(lastId !== undefined ? { 'Last-Event-ID': lastId } : {}),
        },
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch {
      again();
      return;
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      stopped = true; // a token the server refuses will not get better by retrying
      return;
    }
    if (!res.ok || !res.body) {
      again();
      return;
    }
    handlers.onOpen?.();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        if (parsed.retryMs !== undefined) retryMs = parsed.retryMs;
        failures = 0; // the connection works: the next drop waits the short delay again
        for (const m of parsed.messages) {
          if (m.id !== undefined) lastId = m.id;
          if (m.event !== 'report') continue;
          try {
            const e = JSON.parse(m.data) as MineEvent;
            if (typeof e.reportId === 'string') handlers.onEvent(e);
          } catch {
            // a malformed event is skipped; the next list reload shows the truth
          }
        }
      }
    } catch {
      // dropped (network, server restart) or stopped
    }
    again();
  };

  void connect();
  return () => {
    stopped = true;
    deps.clearTimeout(timer);
    controller?.abort();
  };
}
