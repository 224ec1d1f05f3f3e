import path from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PublicReport } from '../../server/src/contract/reports';
import { launchChromium, PHONE } from '../support/browser';
import { PHOTOS_DIR } from '../support/fixtures';
import { ResidentApp } from '../support/pages/resident.page';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { call, createStaff, signIn } from '../support/staff';

/** The bourg of Saint-Nolff, inside the demo commune. */
const BOURG = { latitude: 47.7049, longitude: -2.6509, accuracy: 8 };

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await pool?.end();
});

describe("resident app: live status in 'My reports'", () => {
  it('shows "Planifié", then "Réparé", without a reload, when a crew marks the stop done', async () => {
    const context = await browser.newContext({ ...PHONE, ...ResidentApp.contextOptions(BOURG) });
    const app = new ResidentApp(await context.newPage(), server.url);
    await app.open();
    await app.waitForPlaceAndCategories();
    await app.addPhotos([path.join(PHOTOS_DIR, 'noexif.jpg')], 'camera');
    await app.chooseCategory('Nid-de-poule');
    await app.describe('Nid-de-poule rue de la Mairie');
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');

    const token = await app.reporterToken();
    const mine = (await (
      await fetch(`${server.url}/api/reports/mine`, { headers: { 'X-Reporter-Token': token } })
    ).json()) as { items: PublicReport[] };
    const reportId = mine.items[0]!.id;

    await app.openMyReports();
    const item = app.myReportItems().first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('Reçu');
    // Anything that reloads the page would drop this marker.
    await app.page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 42));

    // The town hall plans it and publishes the round; a crew member marks the stop done.
    const communeId = mine.items[0]!.commune.id;
    const supervisor = await signIn(server.url, await createStaff(pool, [{ communeId, role: 'supervisor' }]));
    const crew = await signIn(server.url, await createStaff(pool, [{ communeId, role: 'crew' }]));
    const crews = await call(server.url, `/api/staff/communes/${mine.items[0]!.commune.slug}/crews`, {
      cookie: supervisor,
    });
    const road = (crews.json!.items as Array<{ id: number; name: string }>).find(
      (c) => c.name === 'Équipe voirie',
    )!;
    const saved = await call(server.url, '/api/plans', {
      method: 'POST',
      cookie: supervisor,
      json: {
        communeId,
        date: new Date().toISOString().slice(0, 10),
        plans: [{ crewId: road.id, workType: 'asphalt', reportIds: [reportId] }],
      },
    });
    expect(saved.status, saved.text).toBe(201);
    const planId = (saved.json!.items as Array<{ id: string }>)[0]!.id;
    expect(
      (await call(server.url, `/api/plans/${planId}/publish`, { method: 'POST', cookie: supervisor })).status,
    ).toBe(200);
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('Planifié');

    const done = await call(server.url, `/api/plans/${planId}/stops/${reportId}`, {
      method: 'PUT',
      cookie: crew,
      json: { status: 'done', at: new Date().toISOString() },
    });
    expect(done.status, done.text).toBe(200);
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('Réparé');
    expect(await app.page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
    await app.expectAccessible('my reports, updated live');
    await context.close();
  });
});
