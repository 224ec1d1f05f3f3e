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
});

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
  };
}
