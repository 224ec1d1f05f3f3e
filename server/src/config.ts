import path from 'node:path';
import { z } from 'zod';

/**
 * Vigie's configuration, read from the environment once at start-up.
 * This is the only module that reads `process.env`; everything else receives a `Config`.
 */
const EnvSchema = z.object({
  /** HTTP port of the API and the built client. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to bind; all interfaces by default so phones on the LAN can reach a town-hall box. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL >= 15 with PostGIS >= 3. Unset: the embedded PGlite + PostGIS database under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Where the embedded database lives. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where photos are stored (content-addressed, never served statically). */
  UPLOADS_DIR: z.string().min(1).default('./uploads'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Number of reverse-proxy hops to trust for the client address (0: none, X-Forwarded-For ignored). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Seed the demo commune on an empty database ("0" to disable). */
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  /** Map tile URL template given to the client; self-host it for air-gapped installs. */
  TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** Attribution shown under the map tiles. */
  TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
  /** Directory of the built client; served at /. */
  CLIENT_DIST: z.string().min(1).default('./client/dist'),
  /** Staff sessions end after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(8 * 60),
  /** Staff sessions end this many days after sign-in, however active. */
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /** Sign-in attempts allowed per account per window (then 429 with Retry-After). */
  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Sign-in attempts allowed per client address per window. */
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Length of the sign-in throttling window, minutes. */
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Report uploads (PUT /api/reports/:id) allowed per reporter token per window. */
  REPORTS_MAX_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Report uploads allowed per client address per window (high: mobile carriers put many phones behind one address). */
  REPORTS_MAX_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Length of the report upload window, minutes. */
  REPORTS_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /**
   * "1" allows staff sign-in over plain HTTP on a non-loopback address (a closed town-hall LAN
   * without TLS): the cookie then cannot be Secure and passwords cross the LAN in clear.
   */
  ALLOW_HTTP_SIGNIN: z.enum(['0', '1']).default('0'),
  /** "1" creates demo staff accounts for the demo commune, with fresh passwords printed at start. */
  DEMO: z.enum(['0', '1']).default('0'),
  /** Open311 service requests (POST) allowed per API key per window (then 429 with Retry-After). */
  OPEN311_MAX_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Length of the Open311 posting window, minutes. */
  OPEN311_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** How long fetching an Open311 request's media_url may take, seconds. */
  OPEN311_MEDIA_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  /**
   * "1" lets media_url point at loopback and private addresses (a photo server on the town
   * hall's LAN; tests). Off by default: a client could otherwise make Vigie probe its own network.
   */
  OPEN311_MEDIA_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
});

/** Session lifetimes and abuse limits; tests lower them. */
export interface SecurityConfig {
  /** Idle timeout of a staff session, seconds. */
  sessionIdleSeconds: number;
  /** Absolute lifetime of a staff session, seconds. */
  sessionMaxSeconds: number;
  /** Sign-in throttling: attempts per account and per client address in each window. */
  login: { perAccount: number; perIp: number; windowSeconds: number };
  /** Report upload limits: uploads per reporter token and per client address in each window. */
  reports: { perToken: number; perIp: number; windowSeconds: number };
  /** Sign-in over plain HTTP on a non-loopback address (see ALLOW_HTTP_SIGNIN). */
  allowHttpSignin: boolean;
}

/** The defaults: idle 8 h, absolute 7 days, 5 sign-in attempts per account per 15 min... */
export const DEFAULT_SECURITY: SecurityConfig = {
  sessionIdleSeconds: 8 * 3600,
  sessionMaxSeconds: 7 * 86_400,
  login: { perAccount: 5, perIp: 30, windowSeconds: 15 * 60 },
  reports: { perToken: 30, perIp: 600, windowSeconds: 3600 },
  allowHttpSignin: false,
};

/** Open311 GeoReport v2 server settings. */
export interface Open311Config {
  /** Service requests per API key per window. */
  perKey: number;
  windowSeconds: number;
  /** Timeout of a media_url download, milliseconds. */
  mediaTimeoutMs: number;
  /** Whether media_url may resolve to loopback, private or link-local addresses. */
  mediaAllowPrivate: boolean;
}

/** The defaults: 600 requests per key per hour, 10 s to fetch a photo, public addresses only. */
export const DEFAULT_OPEN311: Open311Config = {
  perKey: 600,
  windowSeconds: 3600,
  mediaTimeoutMs: 10_000,
  mediaAllowPrivate: false,
};

/** Validated configuration with absolute paths. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  uploadsDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxyHops: number;
  seedDemo: boolean;
  tileUrl: string;
  tileAttribution: string;
  clientDist: string;
  security: SecurityConfig;
  /** Create demo staff accounts (DEMO=1). */
  demo: boolean;
  open311: Open311Config;
}

/** Thrown at start-up with the name of the offending variable. */
export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid environment variable ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    uploadsDir: path.resolve(cwd, e.UPLOADS_DIR),
    logLevel: e.LOG_LEVEL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    seedDemo: e.SEED_DEMO === '1',
    tileUrl: e.TILE_URL,
    tileAttribution: e.TILE_ATTRIBUTION,
    clientDist: path.resolve(cwd, e.CLIENT_DIST),
    security: {
      sessionIdleSeconds: e.SESSION_IDLE_MINUTES * 60,
      sessionMaxSeconds: e.SESSION_MAX_DAYS * 86_400,
      login: {
        perAccount: e.LOGIN_MAX_PER_ACCOUNT,
        perIp: e.LOGIN_MAX_PER_IP,
        windowSeconds: e.LOGIN_WINDOW_MINUTES * 60,
      },
      reports: {
        perToken: e.REPORTS_MAX_PER_TOKEN,
        perIp: e.REPORTS_MAX_PER_IP,
        windowSeconds: e.REPORTS_WINDOW_MINUTES * 60,
      },
      allowHttpSignin: e.ALLOW_HTTP_SIGNIN === '1',
    },
    demo: e.DEMO === '1',
    open311: {
      perKey: e.OPEN311_MAX_PER_KEY,
      windowSeconds: e.OPEN311_WINDOW_MINUTES * 60,
      mediaTimeoutMs: e.OPEN311_MEDIA_TIMEOUT_SECONDS * 1000,
      mediaAllowPrivate: e.OPEN311_MEDIA_ALLOW_PRIVATE === '1',
    },
  };
}
