import { describe, expect, it } from 'vitest';
import {
  parseSse,
  reconnectDelayMs,
  subscribeMine,
  type LiveDeps,
  type MineEvent,
} from '../../../client/src/mine/liveEvents';

const TOKEN = 'a'.repeat(43);

describe('parseSse', () => {
  it('reads complete events, keeps the incomplete one, skips keep-alive comments', () => {
    const { messages, rest, retryMs } = parseSse(
      'retry: 2000\n\n: keep-alive\n\nid: 7\nevent: report\ndata: {"a":1}\n\nid: 8\nevent: rep',
    );
    expect(retryMs).toBe(2000);
    expect(messages).toEqual([{ id: '7', event: 'report', data: '{"a":1}' }]);
    expect(rest).toBe('id: 8\nevent: rep');
  });

  it('joins multi-line data and accepts CRLF line ends', () => {
    expect(parseSse('data: one\r\ndata: two\r\n\r\n').messages).toEqual([
      { id: undefined, event: 'message', data: 'one\ntwo' },
    ]);
  });
});

/** A response whose body streams the given chunks, then ends (a dropped connection). */
function streamed(chunks: string[], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } });
}

/** Fake network and timers: each call answers with the next scripted response. */
function harness(answers: Array<Response | 'offline'>) {
  const calls: Array<Record<string, string>> = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const deps: LiveDeps = {
    fetch: async (_url, init) => {
      calls.push({ ...(init?.headers as Record<string, string>) });
      const a = answers.shift();
      if (!a) return new Promise<Response>(() => {}); // stays open
      if (a === 'offline') throw new TypeError('Failed to fetch');
      return a;
    },
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => {},
  };
  const flush = () => new Promise((r) => setTimeout(r, 10));
  return { deps, calls, timers, flush };
}

describe('subscribeMine', () => {
  it('sends the token, delivers report events, and resumes from Last-Event-ID after a drop', async () => {
    const h = harness([
      streamed([
        'retry: 1500\n\n',
        'id: 41\nevent: report\ndata: {"reportId":"r1","toStatus":"planned","action":"planned"}\n\n',
      ]),
      'offline',
      streamed([
        'id: 42\nevent: report\ndata: {"reportId":"r1","toStatus":"fixed","action":"stop_done"}\n\n',
      ]),
    ]);
    const events: MineEvent[] = [];
    let opens = 0;
    const stop = subscribeMine(TOKEN, { onEvent: (e) => events.push(e), onOpen: () => opens++ }, h.deps);
    await h.flush();
    expect(h.calls[0]).toMatchObject({ 'x-reporter-token': TOKEN, Accept: 'text/event-stream' });
    expect(h.calls[0]!['Last-Event-ID']).toBeUndefined();
    expect(events.map((e) => e.toStatus)).toEqual(['planned']);
    // Dropped: it waits the server's retry, then reconnects from the last id it saw.
    expect(h.timers.at(-1)!.ms).toBe(1500);
    h.timers.at(-1)!.fn();
    await h.flush();
    expect(h.calls[1]!['Last-Event-ID']).toBe('41');
    // Offline: the wait doubles.
    expect(h.timers.at(-1)!.ms).toBe(3000);
    h.timers.at(-1)!.fn();
    await h.flush();
    expect(h.calls[2]!['Last-Event-ID']).toBe('41');
    expect(events.map((e) => e.toStatus)).toEqual(['planned', 'fixed']);
    expect(opens).toBe(2);
    stop();
  });

  it('gives up on a token the server refuses (4xx) instead of retrying forever', async () => {
    const h = harness([new Response('{"error":{}}', { status: 400 })]);
    const stop = subscribeMine(TOKEN, { onEvent: () => {} }, h.deps);
    await h.flush();
    expect(h.calls).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
    stop();
  });

  it('retries a server error, and never reconnects once stopped', async () => {
    const h = harness([new Response('oops', { status: 503 })]);
    const stop = subscribeMine(TOKEN, { onEvent: () => {} }, h.deps);
    await h.flush();
    expect(h.timers).toHaveLength(1);
    stop();
    h.timers[0]!.fn();
    await h.flush();
    expect(h.calls).toHaveLength(1);
  });

  it('waits at most a minute between attempts', () => {
    expect([1, 2, 3, 10].map((n) => reconnectDelayMs(n))).toEqual([2000, 4000, 8000, 60_000]);
  });
});
