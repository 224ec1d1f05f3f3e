import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { CommuneRole, Email } from '../contract/auth';
import { DEFAULT_CATEGORIES } from '../communes/communes.defaults';
import { findCommuneBySlug, insertCategories, insertCommune } from '../communes/communes.repo';
import { withTransaction } from '../db';
import { DataDirLockedError } from '../db/embedded';
import { AppError } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import * as users from '../users/users.repo';
import {
  CLI_ACTOR,
  createUser,
  disableUser,
  enableUser,
  grantRole,
  resetPassword,
  resetTotp,
  revokeRole,
  setRequireAdminTotp,
} from '../users/users.service';
import { importBan } from '../addresses/addresses.service';
import * as open311 from '../open311/open311.service';
import { findKey, listKeys } from '../open311/open311.repo';
import { boundaryFacts, communeInsee, listCommunesForCli } from './admin.repo';
import { openCliDatabase, type CliDatabase } from './connect';

/**
 * `npm run admin -- <command>`: administration without a UI, on the embedded database or on
 * DATABASE_URL, whether or not the server is running. No account exists until created here.
 */

/** Where the tool reads and writes; process streams in production, buffers in tests. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A mistake in how the tool was called (exit code 2). */
class UsageError extends Error {}
/** A refusal or failure with a clear message (exit code 1). */
class CliError extends Error {}

const HELP = `Usage: npm run admin -- <command> [options]

Works on the embedded database (DATA_DIR, default ./data) or on DATABASE_URL, whether or not
the server is running. Passwords are read from standard input (typed, hidden, on a terminal).

Communes
  commune:create --slug S --name N --insee CODE --boundary FILE.geojson [--depot LAT,LON]
                 Creates a commune from a GeoJSON Polygon or MultiPolygon (a Feature or a bare
                 geometry) with the default categories; the depot defaults to the centroid.
  commune:set --slug S [--require-admin-totp on|off] [--open311-media-fetch on|off]
                 Requires (or not) a second factor for the commune's admins; downloads (or not)
                 the photo at an Open311 request's media_url (off by default).
  commune:list   Lists communes.
  addresses:import --commune S --file adresses-56.csv
                 Imports the commune's addresses from a Base Adresse Nationale CSV (a commune's
                 or a whole département's file, from adresse.data.gouv.fr); re-importing
                 updates. Reports are then named after their nearest address.

Open311 (GeoReport v2 at /open311/v2/)
  open311:key --commune S [--label L]
                 Issues an API key for posting service requests into the commune and prints it
                 once (only its hash is kept: note it now).
  open311:keys --commune S
                 Lists the commune's keys (id, first characters, label, last use, revoked).
  open311:revoke --commune S --id N
                 Revokes a key at once.

Users
  user:create --email E --commune S --role crew|supervisor|admin
  user:create --email E --superadmin
                 Creates an account; its password is read from standard input.
  user:grant  --email E --commune S --role R     (or --superadmin)
  user:revoke --email E --commune S --role R     (or --superadmin)
  user:disable --email E      Disables an account and ends its sessions at once.
  user:enable --email E
  user:password --email E     Sets a new password (from standard input); ends its sessions.
  user:totp-reset --email E   Removes the second factor (lost phone); ends its sessions.
  user:list [--commune S]

  --help         Shows this help.

Exit codes: 0 done, 1 refused or failed (the message says why), 2 wrong usage.
`;

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  insee: { type: 'string' },
  boundary: { type: 'string' },
  depot: { type: 'string' },
  email: { type: 'string' },
  commune: { type: 'string' },
  role: { type: 'string' },
  superadmin: { type: 'boolean' },
  'require-admin-totp': { type: 'string' },
  file: { type: 'string' },
  'open311-media-fetch': { type: 'string' },
  label: { type: 'string' },
  id: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/** Which options each command takes (anything else is a usage error). */
const COMMANDS: Record<string, { required: Array<keyof Options>; optional: Array<keyof Options> }> = {
  'commune:create': { required: ['slug', 'name', 'insee', 'boundary'], optional: ['depot'] },
  'commune:set': { required: ['slug'], optional: ['require-admin-totp', 'open311-media-fetch'] },
  'commune:list': { required: [], optional: [] },
  'addresses:import': { required: ['commune', 'file'], optional: [] },
  'open311:key': { required: ['commune'], optional: ['label'] },
  'open311:keys': { required: ['commune'], optional: [] },
  'open311:revoke': { required: ['commune', 'id'], optional: [] },
  'user:create': { required: ['email'], optional: ['commune', 'role', 'superadmin'] },
  'user:grant': { required: ['email'], optional: ['commune', 'role', 'superadmin'] },
  'user:revoke': { required: ['email'], optional: ['commune', 'role', 'superadmin'] },
  'user:disable': { required: ['email'], optional: [] },
  'user:enable': { required: ['email'], optional: [] },
  'user:password': { required: ['email'], optional: [] },
  'user:totp-reset': { required: ['email'], optional: [] },
  'user:list': { required: [], optional: ['commune'] },
};

function need<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${option}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');
const Insee = z
  .string()
  .regex(/^[0-9][0-9AB][0-9]{3}$/, 'must be a 5-character INSEE code (e.g. 56231, 2A004)');
const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const OnOff = z.enum(['on', 'off'], 'must be on or off');
const Label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const KeyId = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a key id from open311:keys')
  .transform(Number);
const Depot = z
  .string()
  .regex(/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/, 'must be LAT,LON in decimal degrees')
  .transform((s) => s.split(',').map(Number) as [number, number])
  .refine(([lat, lon]) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180, 'is outside WGS 84 bounds')
  .transform(([lat, lon]) => ({ lat, lon }));

/** The geometry of a GeoJSON file: a Polygon/MultiPolygon Feature, geometry, or a one-feature collection. */
export function boundaryGeometry(text: string): { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError('--boundary: the file is not JSON');
  }
  let g = json as { type?: string; geometry?: unknown; features?: unknown[]; coordinates?: unknown };
  if (g?.type === 'FeatureCollection') {
    if (!Array.isArray(g.features) || g.features.length !== 1)
      throw new CliError('--boundary: a FeatureCollection must hold exactly one feature');
    g = g.features[0] as typeof g;
  }
  if (g?.type === 'Feature') g = g.geometry as typeof g;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates))
    throw new CliError(`--boundary: expected a Polygon or MultiPolygon, got ${g?.type ?? 'nothing'}`);
  return { type: g.type, coordinates: g.coordinates };
}

/** Reads a password from standard input: hidden and asked twice on a terminal, the first line otherwise. */
async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY && io.stdin.setRawMode) {
    const first = await readHidden(io, 'Password (at least 12 characters): ');
    const second = await readHidden(io, 'Same password again: ');
    if (first !== second) throw new CliError('the two passwords differ');
    return first;
  }
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line)
    throw new CliError('no password on standard input (e.g. printf %s "$PASSWORD" | npm run admin -- ...)');
  return line;
}

function readHidden(io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  const stdin = io.stdin;
  stdin.setRawMode!(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CliError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A file's lines, read as they are consumed. The reader starts only when iteration does:
 * readline drops the lines it emits before a `for await` is attached.
 */
async function* fileLines(file: string): AsyncGenerator<string> {
  yield* readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
}

async function commune(db: CliDatabase, slug: string) {
  const c = await findCommuneBySlug(db.pool, slug);
  if (!c) throw new CliError(`no commune with slug "${slug}" (see commune:list)`);
  return c;
}

async function user(db: CliDatabase, email: string) {
  const u = await users.findUser(db.pool, email);
  if (!u) throw new CliError(`no account with email ${email}`);
  return u;
}

/** --commune S --role R, or --superadmin: exactly one of the two. */
function target(o: Options): { superadmin: true } | { slug: string; role: CommuneRole } {
  if (o.superadmin) {
    if (o.commune || o.role) throw new UsageError('--superadmin goes without --commune and --role');
    return { superadmin: true };
  }
  if (!o.commune || !o.role)
    throw new UsageError('give --commune S --role crew|supervisor|admin, or --superadmin');
  return { slug: need(Slug, o.commune, 'commune'), role: need(CommuneRole, o.role, 'role') };
}

async function run(command: string, o: Options, io: CliIo, db: CliDatabase): Promise<void> {
  const out = (s: string) => io.stdout.write(`${s}\n`);
  switch (command) {
    case 'commune:create': {
      const slug = need(Slug, o.slug, 'slug');
      const name = need(Name, o.name, 'name');
      const inseeCode = need(Insee, o.insee, 'insee');
      const file = path.resolve(io.cwd, o.boundary!);
      if (!fs.existsSync(file)) throw new CliError(`--boundary: no file ${file}`);
      const boundary = boundaryGeometry(fs.readFileSync(file, 'utf8'));
      let facts;
      try {
        facts = await boundaryFacts(db.pool, boundary);
      } catch (err) {
        throw new CliError(`--boundary: PostGIS cannot read this geometry (${(err as Error).message})`);
      }
      if (facts.areaKm2 <= 0) throw new CliError('--boundary: the polygon has no area');
      const depot = o.depot ? need(Depot, o.depot, 'depot') : facts.centroid;
      if (await findCommuneBySlug(db.pool, slug))
        throw new CliError(`a commune with slug "${slug}" already exists`);
      const id = await withTransaction(db.pool, async (tx) => {
        const created = await insertCommune(tx, { slug, name, inseeCode, boundary, depot });
        await insertCategories(tx, created, DEFAULT_CATEGORIES);
        await insertAudit(tx, {
          ...CLI_ACTOR,
          action: 'commune_created',
          outcome: 'success',
          communeId: created,
          objectType: 'commune',
          objectId: slug,
          data: { name, inseeCode },
        });
        return created;
      });
      out(
        `Created commune ${slug} (id ${id}, ${facts.areaKm2.toFixed(1)} km², ${DEFAULT_CATEGORIES.length} categories)` +
          `, depot ${depot.lat.toFixed(5)},${depot.lon.toFixed(5)}${facts.valid ? '' : ' — the boundary was invalid and has been repaired'}.`,
      );
      return;
    }
    case 'commune:set': {
      if (o['require-admin-totp'] === undefined && o['open311-media-fetch'] === undefined)
        throw new UsageError('commune:set needs --require-admin-totp on|off or --open311-media-fetch on|off');
      const totp =
        o['require-admin-totp'] && need(OnOff, o['require-admin-totp'], 'require-admin-totp') === 'on';
      const media =
        o['open311-media-fetch'] && need(OnOff, o['open311-media-fetch'], 'open311-media-fetch') === 'on';
      const c = await commune(db, need(Slug, o.slug, 'slug'));
      if (o['require-admin-totp'] !== undefined) {
        await setRequireAdminTotp(db.pool, CLI_ACTOR, c.id, Boolean(totp));
        out(`${c.slug}: second factor for admins ${totp ? 'required' : 'not required'}.`);
      }
      if (o['open311-media-fetch'] !== undefined) {
        await open311.setMediaFetch(db.pool, CLI_ACTOR, c.id, Boolean(media));
        out(`${c.slug}: Open311 media_url photos ${media ? 'downloaded' : 'not downloaded'}.`);
      }
      return;
    }
    case 'open311:key': {
      const c = await commune(db, need(Slug, o.commune, 'commune'));
      const label = o.label === undefined ? null : need(Label, o.label, 'label');
      const k = await open311.issueKey(db.pool, CLI_ACTOR, c.id, label);
      out(
        `Open311 API key ${k.id} for ${c.slug}${label ? ` (${label})` : ''}; shown only now, keep it safe:`,
      );
      out(k.key);
      return;
    }
    case 'open311:keys': {
      const c = await commune(db, need(Slug, o.commune, 'commune'));
      const keys = await listKeys(db.pool, c.id);
      if (keys.length === 0) out(`${c.slug}: no Open311 key (issue one with open311:key).`);
      for (const k of keys)
        out(
          [
            k.id,
            `${k.prefix}…`,
            k.label ?? '-',
            `created ${k.createdAt.toISOString()}`,
            k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used',
            ...(k.revokedAt ? [`revoked ${k.revokedAt.toISOString()}`] : []),
          ].join('\t'),
        );
      return;
    }
    case 'open311:revoke': {
      const c = await commune(db, need(Slug, o.commune, 'commune'));
      const id = need(KeyId, o.id, 'id');
      const k = await findKey(db.pool, c.id, id);
      if (!k) throw new CliError(`${c.slug} has no Open311 key ${id} (see open311:keys)`);
      const revoked = await open311.revokeKey(db.pool, CLI_ACTOR, c.id, id);
      out(
        revoked
          ? `Open311 key ${id} of ${c.slug} is revoked.`
          : `Open311 key ${id} of ${c.slug} was already revoked.`,
      );
      return;
    }
    case 'commune:list': {
      for (const c of await listCommunesForCli(db.pool))
        out(
          `${c.slug}\t${c.insee_code}\t${c.name}\t${c.users} user(s)${c.require_admin_totp ? '\tadmin TOTP required' : ''}`,
        );
      return;
    }
    case 'addresses:import': {
      const c = await commune(db, need(Slug, o.commune, 'commune'));
      const file = path.resolve(io.cwd, o.file!);
      if (!fs.existsSync(file)) throw new CliError(`--file: no file ${file}`);
      const inseeCode = await communeInsee(db.pool, c.id);
      let result;
      try {
        result = await importBan(db.pool, { id: c.id, inseeCode }, fileLines(file));
      } catch (err) {
        throw new CliError(`--file: ${(err as Error).message}; nothing was imported`);
      }
      if (result.imported === 0) throw new CliError(`no address of INSEE ${inseeCode} in the file`);
      await insertAudit(db.pool, {
        ...CLI_ACTOR,
        action: 'addresses_imported',
        outcome: 'success',
        communeId: c.id,
        objectType: 'commune',
        objectId: c.slug,
        data: { imported: result.imported, invalid: result.invalid, file: path.basename(file) },
      });
      out(
        `${c.slug}: ${result.imported} address(es) imported (INSEE ${inseeCode}), ` +
          `${result.otherCommunes} line(s) of other communes skipped, ${result.invalid} unreadable` +
          `${result.firstErrors.length ? ` (${result.firstErrors.join('; ')})` : ''}; ` +
          `${result.reportsRenamed} report(s) renamed.`,
      );
      return;
    }
    case 'user:create': {
      const email = need(Email, o.email, 'email');
      const t = target(o);
      const c = 'slug' in t ? await commune(db, t.slug) : undefined;
      if (await users.findUser(db.pool, email))
        throw new CliError(`${email} already has an account: use user:grant to give it a role`);
      const password = await readPassword(io);
      const { id } = await createUser(db.pool, CLI_ACTOR, {
        email,
        password,
        superadmin: 'superadmin' in t,
        commune: c && 'role' in t ? { id: c.id, role: t.role } : undefined,
      });
      out(`Created ${email} (${id}) ${c && 'role' in t ? `as ${t.role} of ${c.slug}` : 'as superadmin'}.`);
      return;
    }
    case 'user:grant':
    case 'user:revoke': {
      const u = await user(db, need(Email, o.email, 'email'));
      const t = target(o);
      const grant = command === 'user:grant';
      if ('superadmin' in t) {
        if (u.superadmin === grant) {
          out(`${u.email} ${grant ? 'already is' : 'is not'} a superadmin.`);
          return;
        }
        await withTransaction(db.pool, async (tx) => {
          await users.setSuperadmin(tx, u.id, grant);
          await insertAudit(tx, {
            ...CLI_ACTOR,
            action: grant ? 'role_granted' : 'role_revoked',
            outcome: 'success',
            objectType: 'user',
            objectId: u.id,
            data: { role: 'superadmin' },
          });
        });
        out(`${u.email} ${grant ? 'is now' : 'is no longer'} a superadmin.`);
        return;
      }
      const c = await commune(db, t.slug);
      const changed = grant
        ? await grantRole(db.pool, CLI_ACTOR, u.id, c.id, t.role)
        : await revokeRole(db.pool, CLI_ACTOR, u.id, c.id, t.role, false);
      out(
        changed
          ? `${u.email} ${grant ? 'is now' : 'is no longer'} ${t.role} of ${c.slug}.`
          : `${u.email} ${grant ? 'already is' : 'is not'} ${t.role} of ${c.slug}: nothing changed.`,
      );
      return;
    }
    case 'user:disable': {
      const u = await user(db, need(Email, o.email, 'email'));
      const changed = await disableUser(db.pool, CLI_ACTOR, u.id, null);
      out(changed ? `${u.email} is disabled; its sessions have ended.` : `${u.email} was already disabled.`);
      return;
    }
    case 'user:enable': {
      const u = await user(db, need(Email, o.email, 'email'));
      const changed = await enableUser(db.pool, CLI_ACTOR, u.id, null);
      out(changed ? `${u.email} is enabled.` : `${u.email} was not disabled.`);
      return;
    }
    case 'user:password': {
      const u = await user(db, need(Email, o.email, 'email'));
      await resetPassword(db.pool, CLI_ACTOR, u.id, u.email, await readPassword(io));
      out(`New password set for ${u.email}; its sessions have ended.`);
      return;
    }
    case 'user:totp-reset': {
      const u = await user(db, need(Email, o.email, 'email'));
      await resetTotp(db.pool, CLI_ACTOR, u.id);
      out(`Second factor removed for ${u.email}; its sessions have ended.`);
      return;
    }
    case 'user:list': {
      const c = o.commune ? await commune(db, need(Slug, o.commune, 'commune')) : undefined;
      for (const u of await users.listAllUsers(db.pool, c?.id)) {
        const roles = [...(u.superadmin ? ['superadmin'] : []), ...u.roles].join(' ') || '(no role)';
        out(`${u.email}\t${roles}${u.disabled ? '\tdisabled' : ''}`);
      }
      return;
    }
  }
}

/** Runs one command; returns the exit code. Every error ends in a one-line message on stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (code: number, message: string) => {
    io.stderr.write(`vigie admin: ${message}\n`);
    if (code === 2) io.stderr.write('Run "npm run admin -- --help" for the commands.\n');
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const [command, ...extra] = parsed.positionals;
  const o = parsed.values as Options;
  if (o.help || command === undefined || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined && !o.help ? 2 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) return fail(2, `unknown command "${command}"`);
  if (extra.length > 0) return fail(2, `unexpected argument "${extra[0]}"`);
  for (const k of spec.required) if (o[k] === undefined) return fail(2, `${command} needs --${k}`);
  for (const k of Object.keys(o) as Array<keyof Options>)
    if (!spec.required.includes(k) && !spec.optional.includes(k))
      return fail(2, `${command} does not take --${k}`);

  let config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (err) {
    if (err instanceof ConfigError) return fail(2, err.message);
    throw err;
  }
  let db: CliDatabase | undefined;
  try {
    db = await openCliDatabase(config);
    await run(command, o, io, db);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return fail(2, err.message);
    if (err instanceof CliError) return fail(1, err.message);
    if (err instanceof AppError) return fail(1, err.message);
    if (err instanceof DataDirLockedError)
      return fail(1, `${err.message} and its server did not publish its socket.`);
    const pgCode = (err as { code?: string }).code;
    if (pgCode === '23505')
      return fail(1, `already exists: ${(err as { detail?: string }).detail ?? (err as Error).message}`);
    return fail(1, (err as Error).message || String(err));
  } finally {
    await db?.close().catch(() => {});
  }
}
