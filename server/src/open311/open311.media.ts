import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Downloads the photo at an Open311 request's `media_url`, for communes that allow it. The URL
 * is chosen by a remote client, so this is the one place Vigie connects where someone else tells
 * it to (server-side request forgery): http and https only, every address a name resolves to
 * must be public (unless the installation allows private ones), the connection goes to the
 * address that was checked (no second DNS answer in between), at most 3 redirects (each checked
 * again), a deadline for the whole download, and a byte limit enforced while reading.
 */

/** Why a media URL was not fetched, in words for the client's `service_notice`. */
export class MediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaError';
  }
}

/** Downloads a URL's bytes or throws a MediaError. */
export type MediaFetcher = (url: string) => Promise<Buffer>;

/** How the fetcher behaves. */
export interface MediaFetchOptions {
  /** Allow loopback, private, link-local... addresses (a LAN photo server; tests). */
  allowPrivate: boolean;
  /** Deadline of the whole download, redirects included, milliseconds. */
  timeoutMs: number;
  /** Largest accepted body, bytes. */
  maxBytes: number;
  /** Redirects followed at most. */
  maxRedirects?: number;
}

/** Special-purpose IPv4 ranges (IANA): nothing a public photo host lives on. */
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** Special-purpose IPv6 ranges (IANA), IPv4-mapped and NAT64 ones handled by their IPv4 address. */
const V6_BLOCKED: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const BLOCKED = (() => {
  const list = new net.BlockList();
  for (const [a, p] of V4_BLOCKED) list.addSubnet(a, p, 'ipv4');
  for (const [a, p] of V6_BLOCKED) list.addSubnet(a, p, 'ipv6');
  return list;
})();

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted quad where written so). */
function v6Groups(ip: string): number[] | undefined {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const b = quad[1]!.split('.').map(Number);
    s = `${s.slice(0, quad.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0) return undefined;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** The IPv4 address an IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96) IPv6 address stands for. */
function embeddedV4(groups: number[]): string | undefined {
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return undefined;
  const [a, b] = [groups[6]!, groups[7]!];
  return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
}

/**
 * Whether an IP address is an ordinary public one: not loopback, private (RFC 1918, unique
 * local), link-local (cloud metadata at 169.254.169.254), shared, multicast, documentation,
 * reserved or unspecified. Anything that is not an IP address is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return !BLOCKED.check(ip, 'ipv4');
  if (family !== 6) return false;
  const groups = v6Groups(ip);
  if (!groups) return false;
  const v4 = embeddedV4(groups);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !BLOCKED.check(groups.map((g) => g.toString(16)).join(':'), 'ipv6');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A DNS lookup that refuses names resolving to any non-public address (and is what the socket connects to). */
function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(new MediaError(`le nom ${hostname} est inconnu / unknown host`), '', 0);
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (addresses.length === 0 || (!allowPrivate && bad))
        return callback(
          new MediaError('l’adresse n’est pas publique / the address is not a public one'),
          '',
          0,
        );
      const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
      const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
      if (usable.length === 0)
        return callback(new MediaError(`le nom ${hostname} est inconnu / unknown host`), '', 0);
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/** One request, no redirect followed. */
function requestOnce(
  url: URL,
  opts: MediaFetchOptions,
  signal: AbortSignal,
): Promise<{ redirect: string } | { body: Buffer }> {
  return new Promise((resolve, reject) => {
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && !opts.allowPrivate && !isPublicAddress(literal)) {
      reject(new MediaError('l’adresse n’est pas publique / the address is not a public one'));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'GET',
        headers: { Accept: 'image/*', 'User-Agent': 'Vigie-Open311/2 (media_url)' },
        lookup: checkedLookup(opts.allowPrivate) as unknown as net.LookupFunction,
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status) && res.headers.location) {
          res.resume();
          resolve({ redirect: new URL(res.headers.location, url).toString() });
          return;
        }
        if (status !== 200) {
          res.resume();
          reject(new MediaError(`le serveur a répondu ${status} / the server answered ${status}`));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > opts.maxBytes) {
          res.destroy();
          reject(tooLarge(opts.maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            res.destroy();
            reject(tooLarge(opts.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ body: Buffer.concat(chunks) }));
        res.on('error', (err) => reject(asMediaError(err, signal)));
      },
    );
    req.on('error', (err) => reject(asMediaError(err, signal)));
    req.end();
  });
}

function tooLarge(max: number): MediaError {
  const mb = Math.round(max / (1024 * 1024));
  return new MediaError(`la photo dépasse ${mb} Mo / the photo is larger than ${mb} MB`);
}

function asMediaError(err: unknown, signal: AbortSignal): MediaError {
  if (err instanceof MediaError) return err;
  if (signal.aborted) return new MediaError('délai dépassé / timed out');
  return new MediaError('le téléchargement a échoué / the download failed');
}

/** A fetcher with these limits; the only network client of the Open311 server. */
export function createMediaFetcher(opts: MediaFetchOptions): MediaFetcher {
  const maxRedirects = opts.maxRedirects ?? 3;
  return async (raw: string) => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new MediaError('l’URL est invalide / the URL is invalid');
    }
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new MediaError(
          'seules les URL http et https sont suivies / only http and https URLs are fetched',
        );
      if (url.username || url.password)
        throw new MediaError('l’URL contient un identifiant / the URL carries credentials');
      const answer = await requestOnce(url, opts, signal);
      if ('body' in answer) return answer.body;
      if (hop >= maxRedirects) throw new MediaError('trop de redirections / too many redirects');
      url = new URL(answer.redirect);
    }
  };
}
