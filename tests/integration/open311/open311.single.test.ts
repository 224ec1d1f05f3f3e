import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../server/src/db/migrate';
import { issueKey } from '../../../server/src/open311/open311.service';
import { CLI_ACTOR } from '../../../server/src/users/users.service';
import { startTestServer, type TestServer } from '../../support/app';
import { startFromTemplate } from '../../support/db-global-setup';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { expectError, expectSchema, o311, postRequest } from '../../support/open311';

/**
 * A deployment serving one commune, on a database of its own (the shared integration database
 * holds many): the same PostgreSQL server when DATABASE_URL is set, else a second embedded one.
 */
let srv: TestServer;
let cleanup: () => Promise<void>;

async function ownDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const quiet = { info: () => {} };
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `vigie_open311_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    await migrate(url.toString(), quiet);
    return {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: external });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-open311-'));
  // The migrated template the integration run keeps: seconds instead of initdb + PostGIS.
  const db = await startFromTemplate(dir, quiet);
  return {
    url: db.url,
    drop: async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let commune: Awaited<ReturnType<typeof createTestCommune>>;

beforeAll(async () => {
  const db = await ownDatabase();
  srv = await startTestServer({ databaseUrl: db.url });
  cleanup = db.drop;
  commune = await createTestCommune(srv.pool, randomCentre());
});
afterAll(async () => {
  await srv?.close();
  await cleanup?.();
});

describe('Open311 on a deployment serving one commune', () => {
  it('takes that commune as the jurisdiction when jurisdiction_id is left out', async () => {
    const services = await o311(srv.url, 'services.json');
    expect(services.status, services.text).toBe(200);
    expectSchema('services.json', services.json);
    const { key } = await issueKey(srv.pool, CLI_ACTOR, commune.id, null);
    const posted = await postRequest(srv.url, {
      api_key: key,
      service_code: 'pothole',
      lat: String(commune.centre.lat),
      long: String(commune.centre.lon),
      'attribute[danger]': 'no',
    });
    expect(posted.status, posted.text).toBe(200);
    const [answer] = posted.json as Array<{ service_request_id: string }>;
    const one = await o311(srv.url, `requests/${answer!.service_request_id}.json`);
    expect(one.status).toBe(200);
    const list = await o311(srv.url, 'requests.xml');
    expect(list.status).toBe(200);
    expect(list.text).toContain(answer!.service_request_id);
  });

  it('requires jurisdiction_id again as soon as a second commune is served', async () => {
    await createTestCommune(srv.pool, randomCentre());
    expectError(await o311(srv.url, 'services.json'), 400, /jurisdiction_id is required/);
    expect((await o311(srv.url, `services.json?jurisdiction_id=${commune.slug}`)).status).toBe(200);
  });
});
