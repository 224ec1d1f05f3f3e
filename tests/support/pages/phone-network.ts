import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request seen by the phone's network. */
export interface SeenRequest {
  method: string;
  path: string;
  /** Bytes of the request body as they went over the wire (the multipart upload for a PUT). */
  bodyBytes: number;
  /** Status the server answered, or null if the request never reached it. */
  upstreamStatus: number | null;
  /** Whether the answer was thrown away before reaching the phone. */
  dropped: boolean;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * The network between the phone and the Vigie server, under the test's control: a reverse
 * proxy that can go down (no connection at all), drop the answer of a request the server has
 * already processed (the lost-response case), and count the bytes each request uploads.
 * The page's origin is the proxy's, so service worker and IndexedDB stay the same throughout.
 */
export class PhoneNetwork {
  readonly requests: SeenRequest[] = [];
  private down = false;
  private dropPuts = 0;
  private swVersion: string | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Starts the proxy on a free loopback port in front of `upstream` (e.g. http://127.0.0.1:1234). */
  static async start(upstream: string): Promise<PhoneNetwork> {
    const target = new URL(upstream);
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const network = new PhoneNetwork(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      network.handle(req, res, target),
    );
    server.on('connection', (socket: Socket) => {
      if (network.down) {
        socket.destroy();
        return;
      }
      network.sockets.add(socket);
      socket.once('close', () => network.sockets.delete(socket));
    });
    return network;
  }

  /** No network at all: every connection is refused (reset), open ones are cut. */
  goDown(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  /** The network is back. */
  goUp(): void {
    this.down = false;
  }

  /** The next `n` report uploads reach the server, but their answers are lost on the way back. */
  dropNextPutAnswers(n = 1): void {
    this.dropPuts = n;
  }

  /**
   * Simulates a deployment: from now on /sw.js carries a marker, so the browser sees a new
   * service worker (the way a new build changes its precache manifest). null: back to the build.
   */
  deployNewVersion(version: string | null): void {
    this.swVersion = version;
  }

  /** The report uploads seen so far. */
  puts(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/reports/'));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      bodyBytes: 0,
      upstreamStatus: null,
      dropped: false,
      at: Date.now(),
    };
    this.requests.push(seen);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const rewriteSw = this.swVersion !== null && seen.method === 'GET' && seen.path === '/sw.js';
    const drop = seen.method === 'PUT' && seen.path.startsWith('/api/reports/') && this.dropPuts > 0;
    if (drop) this.dropPuts--;
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: rewriteSw ? fresh(req.headers, target.host) : { ...req.headers, host: target.host },
      },
      (up) => {
        seen.upstreamStatus = up.statusCode ?? null;
        if (rewriteSw) {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.once('end', () => {
            const body = Buffer.concat([...chunks, Buffer.from(`\n// version ${this.swVersion}\n`)]);
            const { etag: _e, 'last-modified': _l, 'content-length': _c, ...headers } = up.headers;
            res.writeHead(up.statusCode ?? 200, { ...headers, 'content-length': body.length });
            res.end(body);
          });
          return;
        }
        if (drop) {
          // Let the server finish (it has stored the report), then lose the answer.
          up.resume();
          up.once('end', () => {
            seen.dropped = true;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.on('data', (chunk: Buffer) => (seen.bodyBytes += chunk.length));
    req.pipe(upstream);
  }
}

/** Request headers without validators: a rewritten body must never be answered by a 304. */
function fresh(headers: http.IncomingHttpHeaders, host: string): http.OutgoingHttpHeaders {
  const { 'if-none-match': _n, 'if-modified-since': _m, ...rest } = headers;
  return { ...rest, host };
}
