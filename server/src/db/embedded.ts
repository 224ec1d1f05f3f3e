import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL + PostGIS, reachable with `pg` at `url`. */
export interface EmbeddedDb {
  /** A libpq-style URL for `pg` (unix socket in DATA_DIR, or a loopback port). */
  url: string;
  /** Stops the socket server, closes PGlite and releases the DATA_DIR lock. */
  stop(): Promise<void>;
}

/** Raised when another live process already holds the embedded database. */
export class DataDirLockedError extends Error {}

const SOCKET_PORT = 5432; // only part of the unix socket's file name: no TCP port is bound
const MAX_UNIX_PATH = 100; // sun_path is 108 bytes on Linux; keep a margin

/** Directory holding the unix socket a running server publishes for other tools (admin CLI). */
export function socketDir(dataDir: string): string {
  return path.join(dataDir, 'run');
}

/** The `pg` URL of a running server's published socket, or undefined when none is published. */
export function publishedUrl(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'run', 'url');
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the exclusive lock on an embedded data directory: two processes opening the same
 * PGlite directory would corrupt it. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'vigie.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new DataDirLockedError(`The database in ${dataDir} is in use by process ${holder}.`);
      }
      fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}.`);
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts PGlite with PostGIS on `dataDir` (or in memory when `dataDir` is undefined) and
 * exposes it over the PostgreSQL wire protocol, so the rest of Vigie speaks `pg` exactly as
 * it does in production. Prefers a unix socket inside DATA_DIR; never binds TCP port 5432.
 */
export async function startEmbedded(dataDir: string | undefined): Promise<EmbeddedDb> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dataDir ? path.join(dataDir, 'pgdata') : undefined, {
      // pg_trgm: trigram indexes for the town hall's text and address searches (migration 1795557000000).
      extensions: { postgis, pg_trgm },
    });
    let sockPath: string | undefined;
    if (dataDir) {
      const dir = socketDir(dataDir);
      const candidate = path.join(dir, `.s.PGSQL.${SOCKET_PORT}`);
      if (candidate.length <= MAX_UNIX_PATH) {
        fs.mkdirSync(dir, { recursive: true });
        fs.rmSync(candidate, { force: true }); // left over by a killed process
        sockPath = candidate;
      }
    }
    const port = sockPath ? undefined : await freeLoopbackPort();
    const server = new PGLiteSocketServer({
      db,
      ...(sockPath ? { path: sockPath } : { host: '127.0.0.1', port }),
      // The default of one connection cuts the pool's second client; pool + CLI + migrator fit in 20.
      maxConnections: 20,
    });
    pinExtendedProtocolBatches(server, db);
    await server.start();
    const url = sockPath
      ? `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.dirname(sockPath))}&port=${SOCKET_PORT}`
      : `postgresql://postgres@127.0.0.1:${port}/postgres`;
    if (dataDir) fs.writeFileSync(path.join(socketDir(dataDir), 'url'), url);
    const opened = db;
    return {
      url,
      async stop() {
        if (dataDir) fs.rmSync(path.join(socketDir(dataDir), 'url'), { force: true });
        await server.stop();
        await opened.close();
        if (sockPath) fs.rmSync(sockPath, { force: true });
        unlock();
      },
    };
  } catch (err) {
    await db?.close().catch(() => {});
    unlock();
    throw err;
  }
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol batch
const READY_FOR_QUERY = 0x5a; // 'Z'
const QUERY = 0x51; // 'Q': a simple query is a batch by itself
const TERMINATE = 0x58; // 'X'
const COPY_DONE = 0x63; // 'c': ends a COPY FROM STDIN (its ReadyForQuery follows in a simple query)
const COPY_FAIL = 0x66; // 'f'

/**
 * pglite-socket 0.2.11 queues wire-protocol *messages*, not queries: outside an explicit
 * transaction, the Parse/Bind/Execute of one connection can interleave with another's, so a
 * connection binds to the other's unnamed statement and reads rows of the wrong query (seen
 * here with three concurrent PUTs of the same report). This keeps the queue on one connection
 * from its first extended-protocol message to its Sync, as the library already does for
 * transactions. It also fixes the library's stall after a failed message (its loop returned
 * without clearing `processing`), and drops the ReadyForQuery PGlite sends after an error in
 * the middle of a batch (see withoutReadyForQuery). The versions are pinned exactly in
 * package.json.
 */
function pinExtendedProtocolBatches(server: PGLiteSocketServer, db: PGlite): void {
  const q = (server as unknown as { queryQueue: QueueInternals }).queryQueue;
  let pinned: number | null = null;
  q.processQueue = async function processQueue(): Promise<void> {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = db.isInTransaction() ? (pinned ?? q.lastHandlerId) : pinned;
        const index = owner === null ? 0 : q.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const item = q.queue.splice(index, 1)[0]!;
        const type = item.message[0];
        // A startup message starts with its length (first byte 0), not a type letter.
        const endsBatch = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
        const answersReady = endsBatch || type === COPY_DONE || type === COPY_FAIL;
        const forward = answersReady ? item.onData : withoutReadyForQuery(item.onData);
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                forward(data);
              },
            }),
          );
        } catch (err) {
          pinned = null;
          item.reject(err);
          continue;
        }
        q.lastHandlerId = item.handlerId;
        pinned = endsBatch ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (pinned === handlerId) {
      pinned = null;
      void q.processQueue();
    }
  };
}

/**
 * PGlite answers an error in an extended-protocol message (Parse, Bind, Execute) with
 * ErrorResponse *and* ReadyForQuery, then a second ReadyForQuery for the Sync. A server sends
 * ReadyForQuery only for Sync: `pg` takes the first as the end of the failed query, sends the
 * next one (a ROLLBACK) and reads the second as that query's end, after which every reply is
 * one query late ("Received unexpected commandComplete message"). This passes the replies to
 * one message that does not end a batch (Sync, Query, the end of a COPY) through without
 * their ReadyForQuery, across chunk boundaries.
 */
export function withoutReadyForQuery(onData: (data: Uint8Array) => void): (data: Uint8Array) => void {
  const header = new Uint8Array(5); // type + int32 length, possibly split across chunks
  let headerFill = 0;
  let remaining = 0; // body bytes of the current message still to pass (or drop)
  let dropping = false;
  return (data) => {
    const kept: Uint8Array[] = [];
    let i = 0;
    while (i < data.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, data.length - i);
        if (!dropping) kept.push(data.subarray(i, i + n));
        i += n;
        remaining -= n;
        continue;
      }
      const n = Math.min(5 - headerFill, data.length - i);
      header.set(data.subarray(i, i + n), headerFill);
      headerFill += n;
      i += n;
      if (headerFill < 5) break;
      headerFill = 0;
      const length = new DataView(header.buffer).getInt32(1); // counts itself, not the type byte
      remaining = length - 4;
      dropping = header[0] === READY_FOR_QUERY;
      if (!dropping) kept.push(header.slice());
    }
    if (kept.length === 1) onData(kept[0]!);
    else if (kept.length > 1) onData(Buffer.concat(kept));
  };
}
