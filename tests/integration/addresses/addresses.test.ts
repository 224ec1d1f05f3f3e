import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { geocode, nearestAddress, upsertAddresses } from '../../../server/src/addresses/addresses.repo';
import { importBan } from '../../../server/src/addresses/addresses.service';
import { runAdmin } from '../../support/admin-cli';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { call } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let insee: string;
let tmp: string;

/** A point `north` and `east` metres from the commune's centre. */
const offset = (north: number, east: number) => ({
  lat: commune.centre.lat + north / 111_320,
  lon: commune.centre.lon + east / (111_320 * Math.cos((commune.centre.lat * Math.PI) / 180)),
});

const BAN_HEADER = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat';
const banLine = (id: string, n: string, street: string, code: string, at: { lat: number; lon: number }) =>
  `${id};x;${n};;${street};56250;${code};Test;${at.lon};${at.lat}`;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  insee = (await srv.pool.query('SELECT insee_code FROM communes WHERE id = $1', [commune.id])).rows[0]
    .insee_code;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-addresses-'));
  const street = (name: string, north: number, numbers: number[]) =>
    numbers.map((n) => {
      const at = offset(north, n * 20);
      return {
        housenumber: String(n),
        street: name,
        postcode: '56250',
        label: `${n} ${name}`,
        ...at,
        sourceId: `${name}-${n}`,
      };
    });
  await upsertAddresses(srv.pool, commune.id, [
    ...street("Rue de l'Église", 0, [1, 2, 3, 12]),
    ...street('Route de Vannes', 400, [5, 7]),
  ]);
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('nearest address', () => {
  it('names a point after the closest address of its commune, and nothing far from every address', async () => {
    expect(
      await nearestAddress(srv.pool, commune.id, offset(5, 12 * 20 + 3).lat, offset(5, 12 * 20 + 3).lon),
    ).toBe("12 Rue de l'Église");
    const far = offset(-900, 0);
    expect(await nearestAddress(srv.pool, commune.id, far.lat, far.lon)).toBeNull();
  });

  it('stores the nearest address with a new report and shows it in the public view', async () => {
    const r = await sendResidentReport(srv.url, offset(8, 41));
    expect(r.status).toBe(201);
    expect(r.body.address).toBe("2 Rue de l'Église");
    const pub = await call(srv.url, `/api/reports/${r.id}`);
    expect(pub.json!.address).toBe("2 Rue de l'Église");
  });
});

describe('GET /api/addresses', () => {
  it('suggests addresses ignoring case, accents and punctuation, label starts first, numbers in order', async () => {
    const res = await call(
      srv.url,
      `/api/addresses?commune=${commune.slug}&q=${encodeURIComponent('RUE DE L EGLISE')}`,
    );
    expect(res.status).toBe(200);
    expect((res.json!.items as Array<{ label: string }>).map((a) => a.label)).toEqual([
      "1 Rue de l'Église",
      "2 Rue de l'Église",
      "3 Rue de l'Église",
      "12 Rue de l'Église",
    ]);
    const one = await call(srv.url, `/api/addresses?commune=${commune.slug}&q=vannes&limit=1`);
    expect(one.json!.items).toEqual([
      {
        label: '5 Route de Vannes',
        street: 'Route de Vannes',
        lat: expect.any(Number),
        lon: expect.any(Number),
      },
    ]);
  });

  it('answers 400 for a missing or one-letter query and 404 for an unknown commune', async () => {
    expect((await call(srv.url, `/api/addresses?commune=${commune.slug}`)).status).toBe(400);
    const short = await call(srv.url, `/api/addresses?commune=${commune.slug}&q=r`);
    expect(short.status).toBe(400);
    expect(short.json).toMatchObject({ error: { code: 'invalid_request', field: 'q' } });
    expect((await call(srv.url, `/api/addresses?commune=nowhere-at-all&q=rue`)).status).toBe(404);
    expect((await call(srv.url, `/api/addresses?commune=${commune.slug}&q=rue&limit=5000`)).status).toBe(400);
  });
});

describe('geocode', () => {
  it('finds a typed address, tolerating a typo', async () => {
    expect(await geocode(srv.pool, commune.id, "12 rue de l'eglise")).toMatchObject({
      label: "12 Rue de l'Église",
    });
    expect(await geocode(srv.pool, commune.id, 'Route de Vanes')).toMatchObject({
      label: '5 Route de Vannes',
    });
    expect(await geocode(srv.pool, commune.id, 'Boulevard Haussmann')).toBeUndefined();
  });
});

describe('Base Adresse Nationale import', () => {
  it("imports the commune's lines of a file, updates on re-import and renames nearby reports", async () => {
    const c = await createTestCommune(srv.pool, randomCentre());
    const code = (await srv.pool.query('SELECT insee_code FROM communes WHERE id = $1', [c.id])).rows[0]
      .insee_code;
    const report = await sendResidentReport(srv.url, c.centre);
    expect(report.body.address).toBeNull();
    const lines = [
      BAN_HEADER,
      banLine('a1', '4', 'Rue du Port', code, c.centre),
      banLine('a2', '6', 'Rue du Port', code, { lat: c.centre.lat + 0.0003, lon: c.centre.lon }),
      banLine('z9', '1', 'Ailleurs', '99999', c.centre),
      `a3;x;8;;Rue du Port;56250;${code};Test;;`,
    ];
    const first = await importBan(srv.pool, { id: c.id, inseeCode: code }, lines);
    expect(first).toMatchObject({ imported: 2, otherCommunes: 1, invalid: 1, reportsRenamed: 1 });
    const again = await importBan(srv.pool, { id: c.id, inseeCode: code }, [
      BAN_HEADER,
      banLine('a1', '4', 'Quai du Port', code, c.centre),
    ]);
    expect(again).toMatchObject({ imported: 1, reportsRenamed: 1 });
    const { rows } = await srv.pool.query(
      'SELECT label FROM addresses WHERE commune_id = $1 ORDER BY label',
      [c.id],
    );
    expect(rows.map((r) => r.label)).toEqual(['4 Quai du Port', '6 Rue du Port']);
    expect((await call(srv.url, `/api/reports/${report.id}`)).json!.address).toBe('4 Quai du Port');
  });

  it('changes nothing when the file is not a BAN export', async () => {
    const before = (await srv.pool.query('SELECT count(*)::int AS n FROM addresses')).rows[0].n;
    await expect(
      importBan(srv.pool, { id: commune.id, inseeCode: insee }, ['name;lat;lon', 'x;1;2']),
    ).rejects.toThrow(/not a BAN addresses CSV/);
    expect((await srv.pool.query('SELECT count(*)::int AS n FROM addresses')).rows[0].n).toBe(before);
  });

  it('is available as `npm run admin -- addresses:import`', async () => {
    const file = path.join(tmp, 'adresses.csv');
    fs.writeFileSync(
      file,
      [BAN_HEADER, banLine('cli-1', '9', 'Impasse du Test', insee, offset(-200, 0))].join('\n'),
    );
    const env = { DATABASE_URL: inject('databaseUrl') };
    const ok = await runAdmin(['addresses:import', '--commune', commune.slug, '--file', file], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/1 address\(es\) imported/);
    const missing = await runAdmin(
      ['addresses:import', '--commune', commune.slug, '--file', path.join(tmp, 'no.csv')],
      {
        env,
      },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no file/);
    const other = path.join(tmp, 'other.csv');
    fs.writeFileSync(
      other,
      [BAN_HEADER, banLine('o-1', '1', 'Rue Lointaine', '00000', offset(0, 0))].join('\n'),
    );
    const none = await runAdmin(['addresses:import', '--commune', commune.slug, '--file', other], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no address of INSEE/);
  });
});
