import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAdmin, runAdminHere, startEmbeddedServer } from '../../support/admin-cli';
import { startTestServer, type TestServer } from '../../support/app';
import { call, newEmail, newPassword, signIn } from '../../support/staff';

let srv: TestServer;
let tmp: string;
const db = () => ({ DATABASE_URL: inject('databaseUrl') });

beforeAll(async () => {
  srv = await startTestServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-cli-'));
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A unique slug and INSEE code, and a square boundary file around a random point. */
function communeFiles(kind: 'feature' | 'multipolygon' | 'linestring' = 'feature') {
  const slug = `cli-${crypto.randomBytes(4).toString('hex')}`;
  const insee = String(10000 + crypto.randomInt(89999));
  const lat = 44 + Math.random() * 4;
  const lon = Math.random() * 5;
  const ring = [
    [lon, lat],
    [lon + 0.02, lat],
    [lon + 0.02, lat + 0.02],
    [lon, lat + 0.02],
    [lon, lat],
  ];
  const geometry =
    kind === 'multipolygon'
      ? { type: 'MultiPolygon', coordinates: [[ring]] }
      : kind === 'linestring'
        ? { type: 'LineString', coordinates: ring }
        : { type: 'Polygon', coordinates: [ring] };
  const body = kind === 'feature' ? { type: 'Feature', properties: { nom: slug }, geometry } : geometry;
  const file = path.join(tmp, `${slug}.geojson`);
  fs.writeFileSync(file, JSON.stringify(body));
  return { slug, insee, file, centre: { lat: lat + 0.01, lon: lon + 0.01 } };
}

describe('npm run admin (DATABASE_URL)', () => {
  it('lists its commands with --help and exits 0', async () => {
    const r = await runAdmin(['--help'], { env: db() });
    expect(r.code).toBe(0);
    for (const c of ['commune:create', 'user:create', 'user:grant', 'user:revoke', 'user:disable'])
      expect(r.stdout).toContain(c);
  });

  it('exits 2 with a clear message on wrong usage', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage/],
      [['user:frobnicate'], /unknown command "user:frobnicate"/],
      [['user:create', '--email', 'a@b.example'], /--commune S --role/],
      [['user:create', '--email', 'a@b.example', '--commune', 'x', '--role', 'mayor'], /--role: /],
      [['commune:create', '--slug', 'x'], /commune:create needs --name/],
      [['user:disable', '--email', 'a@b.example', '--role', 'crew'], /does not take --role/],
      [['user:list', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await runAdminHere(args, { env: db() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr + r.stdout).toMatch(message);
    }
  });

  it('creates a commune from a GeoJSON Feature with the default categories and its centroid as depot', async () => {
    const c = communeFiles('feature');
    const r = await runAdminHere(
      ['commune:create', '--slug', c.slug, '--name', 'Commune CLI', '--insee', c.insee, '--boundary', c.file],
      {
        env: db(),
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Created commune ${c.slug} `));
    const { rows } = await srv.pool.query(
      `SELECT c.id, ST_Y(c.depot::geometry) AS lat, ST_X(c.depot::geometry) AS lon,
              (SELECT count(*)::int FROM categories WHERE commune_id = c.id) AS categories
         FROM communes c WHERE slug = $1`,
      [c.slug],
    );
    expect(rows[0].categories).toBe(8);
    expect(rows[0].lat).toBeCloseTo(c.centre.lat, 4);
    expect(rows[0].lon).toBeCloseTo(c.centre.lon, 4);
    // Residents can report there at once.
    const cats = await call(srv.url, `/api/categories?lat=${c.centre.lat}&lon=${c.centre.lon}`);
    expect(cats.json).toMatchObject({ commune: { slug: c.slug } });
    const audit = await srv.pool.query(
      "SELECT actor_kind FROM audit_log WHERE action = 'commune_created' AND object_id = $1",
      [c.slug],
    );
    expect(audit.rows).toEqual([{ actor_kind: 'cli' }]);
  });

  it('accepts a bare MultiPolygon with an explicit depot', async () => {
    const c = communeFiles('multipolygon');
    const r = await runAdminHere(
      [
        'commune:create',
        '--slug',
        c.slug,
        '--name',
        'Multi',
        '--insee',
        c.insee,
        '--boundary',
        c.file,
        '--depot',
        `${c.centre.lat + 0.005},${c.centre.lon}`,
      ],
      { env: db() },
    );
    expect(r.code).toBe(0);
    const { rows } = await srv.pool.query(
      'SELECT ST_Y(depot::geometry) AS lat FROM communes WHERE slug = $1',
      [c.slug],
    );
    expect(rows[0].lat).toBeCloseTo(c.centre.lat + 0.005, 6);
  });

  it('refuses bad communes with exit 1 or 2 and a message naming the problem', async () => {
    const line = communeFiles('linestring');
    const ok = communeFiles();
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['--slug', line.slug, '--name', 'L', '--insee', line.insee, '--boundary', line.file],
        1,
        /Polygon or MultiPolygon, got LineString/,
      ],
      [
        ['--slug', ok.slug, '--name', 'L', '--insee', '123', '--boundary', ok.file],
        2,
        /--insee: must be a 5-character INSEE code/,
      ],
      [['--slug', 'Bad Slug', '--name', 'L', '--insee', ok.insee, '--boundary', ok.file], 2, /--slug: /],
      [
        ['--slug', ok.slug, '--name', 'L', '--insee', ok.insee, '--boundary', path.join(tmp, 'nope.geojson')],
        1,
        /--boundary: no file/,
      ],
      [
        ['--slug', ok.slug, '--name', 'L', '--insee', ok.insee, '--boundary', ok.file, '--depot', '95,2'],
        2,
        /--depot: is outside/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await runAdminHere(['commune:create', ...args], { env: db() });
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    expect(
      (
        await runAdminHere(
          ['commune:create', '--slug', ok.slug, '--name', 'L', '--insee', ok.insee, '--boundary', ok.file],
          { env: db() },
        )
      ).code,
    ).toBe(0);
    const again = await runAdminHere(
      ['commune:create', '--slug', ok.slug, '--name', 'L', '--insee', ok.insee, '--boundary', ok.file],
      { env: db() },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('creates users with a password from standard input; grant, revoke and disable work on the live server', async () => {
    const c = communeFiles();
    await runAdminHere(
      ['commune:create', '--slug', c.slug, '--name', 'Users', '--insee', c.insee, '--boundary', c.file],
      { env: db() },
    );
    const email = newEmail('cli');
    const password = newPassword();
    // Through the real script (`npm run admin` runs this file), password piped on standard input.
    const created = await runAdmin(['user:create', '--email', email, '--commune', c.slug, '--role', 'crew'], {
      env: db(),
      input: `${password}\n`,
    });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const cookie = await signIn(srv.url, { email, password });
    const me = await call(srv.url, '/api/auth/me', { cookie });
    expect(me.json).toMatchObject({ roles: [{ commune: { slug: c.slug }, role: 'crew' }] });

    expect(
      (
        await runAdminHere(['user:create', '--email', email, '--commune', c.slug, '--role', 'crew'], {
          env: db(),
          input: `${password}\n`,
        })
      ).stderr,
    ).toMatch(/already has an account/);
    const weak = await runAdminHere(
      ['user:create', '--email', newEmail(), '--commune', c.slug, '--role', 'crew'],
      { env: db(), input: 'password1234\n' },
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/too common/);
    const empty = await runAdminHere(['user:create', '--email', newEmail(), '--superadmin'], {
      env: db(),
      input: '',
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no password on standard input/);

    expect(
      (
        await runAdminHere(['user:grant', '--email', email, '--commune', c.slug, '--role', 'supervisor'], {
          env: db(),
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await runAdminHere(['user:revoke', '--email', email, '--commune', c.slug, '--role', 'crew'], {
          env: db(),
        })
      ).code,
    ).toBe(0);
    const after = await call(srv.url, '/api/auth/me', { cookie });
    expect(after.json).toMatchObject({ roles: [{ role: 'supervisor' }] });
    expect((after.json!.roles as unknown[]).length).toBe(1);
    const list = await runAdminHere(['user:list', '--commune', c.slug], { env: db() });
    expect(list.stdout).toContain(`${email}\t${c.slug}:supervisor`);

    const disabled = await runAdminHere(['user:disable', '--email', email], { env: db() });
    expect(disabled.code).toBe(0);
    expect((await call(srv.url, '/api/auth/me', { cookie })).status).toBe(401);
    const unknown = await runAdminHere(['user:disable', '--email', newEmail()], { env: db() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no account with email/);
  });

  it('creates a superadmin', async () => {
    const email = newEmail('root');
    const password = newPassword();
    const r = await runAdminHere(['user:create', '--email', email, '--superadmin'], {
      env: db(),
      input: `${password}\n`,
    });
    expect(r.code).toBe(0);
    const res = await call(srv.url, '/api/auth/login', { method: 'POST', json: { email, password } });
    expect(res.json).toMatchObject({ user: { superadmin: true }, roles: [] });
  });
});

describe('npm run admin (embedded database in DATA_DIR)', () => {
  let dataDir: string;
  let boundary: ReturnType<typeof communeFiles>;
  const env = () => ({ DATA_DIR: dataDir });
  beforeAll(() => {
    dataDir = path.join(tmp, 'data');
    boundary = communeFiles();
  });

  it('opens DATA_DIR itself, under its lock, when no server runs', { timeout: 180_000 }, async () => {
    const r = await runAdmin(
      [
        'commune:create',
        '--slug',
        boundary.slug,
        '--name',
        'Embedded',
        '--insee',
        boundary.insee,
        '--boundary',
        boundary.file,
      ],
      { env: env() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Released on exit: no lock, no published socket left behind.
    expect(fs.existsSync(path.join(dataDir, 'vigie.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'run', 'url'))).toBe(false);
  });

  it(
    'connects to the running server\u2019s published socket, without blocking or being blocked',
    { timeout: 180_000 },
    async () => {
      const server = await startEmbeddedServer(dataDir);
      try {
        const lock = fs.readFileSync(path.join(dataDir, 'vigie.lock'), 'utf8');
        expect(Number(lock)).toBe(server.child.pid);
        const email = newEmail('live');
        const password = newPassword();
        const r = await runAdmin(
          ['user:create', '--email', email, '--commune', boundary.slug, '--role', 'admin'],
          {
            env: env(),
            input: `${password}\n`,
          },
        );
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        // The running server sees the new account at once, and still holds its lock.
        const cookie = await signIn(server.url, { email, password });
        const users = await call(server.url, `/api/staff/communes/${boundary.slug}/users`, { cookie });
        expect(users.status).toBe(200);
        expect(fs.readFileSync(path.join(dataDir, 'vigie.lock'), 'utf8')).toBe(lock);
        const disabled = await runAdmin(['user:disable', '--email', email], { env: env() });
        expect(disabled.code).toBe(0);
        expect((await call(server.url, '/api/auth/me', { cookie })).status).toBe(401);
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      } finally {
        await server.stop('SIGKILL');
      }
    },
  );

  it(
    'takes over after a server killed with SIGKILL (stale lock and socket URL)',
    { timeout: 180_000 },
    async () => {
      expect(fs.existsSync(path.join(dataDir, 'run', 'url'))).toBe(true);
      const r = await runAdmin(['user:list'], { env: env() });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/@test\.example\t.*:admin\tdisabled/);
    },
  );
});
