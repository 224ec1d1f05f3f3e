import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import pg from 'pg';
import { launchChromium, PHONE } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('npm start', () => {
  it('serves the built client at / and the API behind it, with the demo commune seeded', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const res = await page.goto(server.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect.poll(() => page.getByText('Saint-Nolff').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Other e2e files add reports to the same database: count the seed's own (its device token).
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    const seeded = await db.query(
      `SELECT count(*)::int AS n FROM reports WHERE reporter_token_hash = sha256('vigie-demo-reporter'::bytea)`,
    );
    await db.end();
    expect(seeded.rows[0].n).toBe(40);
    await context.close();
  });
});
