import pg from 'pg';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { demoCommuneId } from '../support/fixtures';
import { HistoryPage } from '../support/pages/history.page';
import { sendResidentReport } from '../support/resident';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { call, createStaff, signIn, staffListIds, type TestUser } from '../support/staff';

/**
 * The town hall's history screen and report page in Debian's Chromium at a desktop viewport,
 * against the real server process and the demo commune (Saint-Nolff, 40 reports and its
 * streets), plus three reports the test sends on Rue de l'Église.
 */

/** On Rue de l'Église, west end; 15 m east of it; the east end, 250 m away. */
const CHURCH_WEST = { lat: 47.70405, lon: -2.6535 };
const CHURCH_WEST_2 = { lat: 47.70405, lon: -2.6533 };
const CHURCH_EAST = { lat: 47.7045, lon: -2.6502 };

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;
let supervisor: TestUser;
let cookie: string;
let communeId: number;
const ids = {} as Record<'kept' | 'duplicate' | 'east', string>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  communeId = await demoCommuneId(server.url);
  supervisor = await createStaff(pool, [{ communeId, role: 'supervisor' }]);
  cookie = await signIn(server.url, supervisor);
  ids.kept = (await sendResidentReport(server.url, CHURCH_WEST)).id;
  ids.duplicate = (await sendResidentReport(server.url, CHURCH_WEST_2)).id;
  ids.east = (await sendResidentReport(server.url, CHURCH_EAST)).id;
  const status = async (id: string, json: Record<string, unknown>) => {
    const res = await call(server.url, `/api/staff/reports/${id}/status`, { method: 'POST', cookie, json });
    expect(res.status, res.text).toBe(200);
  };
  await status(ids.kept, { status: 'acknowledged', note: 'Vu avec le riverain' });
  await status(ids.duplicate, { status: 'duplicate', duplicateOf: ids.kept });
  // An internal note (as the report actions write them: never shown to the public).
  await pool.query(
    `INSERT INTO report_events (report_id, commune_id, actor_kind, actor_id, action, from_status, to_status, data, public)
     VALUES ($1, $2, 'staff', $3, 'note', 'acknowledged', 'acknowledged', '{"text": "Appeler le riverain"}', false)`,
    [ids.kept, communeId, supervisor.id],
  );
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await pool?.end();
});

describe('town hall history screen and report page', () => {
  it('a supervisor filters by status and address, draws an area, pages the list and opens a report with its photo, timeline and nearby reports', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const ui = new HistoryPage(page, server.url);

    // The history, unfiltered: the commune's map and the newest 25 reports.
    await ui.signIn(supervisor);
    await page.getByRole('link', { name: 'Historique' }).click();
    await page.getByRole('heading', { name: 'Historique des signalements' }).waitFor();
    await ui.listLoaded();
    const all = await call(server.url, '/api/staff/reports/count', { cookie });
    const total = (all.json as { count: number }).count;
    expect(total).toBeGreaterThanOrEqual(43);
    await expect.poll(() => ui.countText()).toBe(`${total} signalements`);
    expect(await ui.rows().count()).toBe(25);
    await expect
      .poll(() => ui.mapStatus(), { timeout: 10_000 })
      .toBe(`${total} signalements dans cette vue.`);
    // Clusters, not one marker per report.
    const markers = await page.locator('.hs-marker').count();
    expect(markers).toBeGreaterThan(0);
    expect(markers).toBeLessThan(total);
    expect(ui.query().get('view')).toMatch(/^47\.\d+,-2\.\d+,\d+$/);
    await ui.expectAccessible('history screen');

    // Keyset paging: the next 25 follow, none twice, and the keyboard lands on the first new row.
    const first = await ui.rowIds();
    await page.getByRole('button', { name: 'Afficher les suivants' }).click();
    await expect.poll(() => ui.rows().count()).toBe(Math.min(total, 50));
    const paged = await ui.rowIds();
    expect(paged.slice(0, 25)).toEqual(first);
    expect(new Set(paged).size).toBe(paged.length);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(paged[25]);
    expect(paged).toEqual(
      (await staffListIds(server.url, cookie, new URLSearchParams())).slice(0, paged.length),
    );

    // Status: acknowledged only (the address follows the filter).
    await ui.tick('Statut', 'Pris en compte');
    await expect.poll(() => ui.query().get('status')).toBe('acknowledged');
    await ui.listLoaded();
    await expect.poll(() => ui.rowIds()).toEqual(await staffListIds(server.url, cookie, ui.query()));

    // Address: a suggestion from the commune's streets.
    await page.getByRole('combobox', { name: 'Adresse' }).fill("rue de l'égl");
    await page.getByRole('option', { name: "Rue de l'Église — toute la voie" }).click();
    await expect.poll(() => ui.query().get('address')).toBe("Rue de l'Église");
    await ui.listLoaded();
    await expect.poll(() => ui.rowIds()).toEqual(await staffListIds(server.url, cookie, ui.query()));
    const onStreet = await ui.rowIds();
    expect(onStreet).toContain(ids.kept);
    expect(onStreet).not.toContain(ids.east); // new, not acknowledged
    for (const text of await ui.rows().allTextContents()) expect(text).toContain("Rue de l'Église");

    // The address holds the filter and the view: reopen it at street level over the kept report.
    const view = { lat: CHURCH_WEST.lat, lon: CHURCH_WEST.lon, zoom: 18 };
    const q = ui.query();
    q.set('view', `${view.lat},${view.lon},${view.zoom}`);
    await page.goto(`${server.url}/staff/history?${q.toString()}`);
    await ui.listLoaded();
    expect(await page.getByRole('combobox', { name: 'Adresse' }).inputValue()).toBe("Rue de l'Église");
    await expect.poll(() => ui.rowIds()).toEqual(onStreet);

    // Draw a square of about 80 m around the kept report: four clicks, then finish.
    await page.getByRole('button', { name: 'Dessiner une zone' }).click();
    await page.locator('.hs-map').scrollIntoViewIfNeeded();
    const d = { lat: 40 / 111_320, lon: 40 / (111_320 * Math.cos((view.lat * Math.PI) / 180)) };
    for (const [dLat, dLon] of [
      [-1, -1],
      [-1, 1],
      [1, 1],
      [1, -1],
    ] as const) {
      const px = await ui.mapPixel(view, { lat: view.lat + dLat * d.lat, lon: view.lon + dLon * d.lon });
      await page.mouse.click(px.x, px.y);
    }
    await page.getByRole('button', { name: 'Terminer la zone (4 sommets)' }).click();
    await expect.poll(() => ui.query().get('area')).toMatch(/^-2\.65\d+,47\.70\d+(;-2\.65\d+,47\.70\d+){3}$/);
    await ui.listLoaded();
    const inArea = await staffListIds(server.url, cookie, ui.query());
    await expect.poll(() => ui.rowIds()).toEqual(inArea);
    expect(inArea).toContain(ids.kept);
    for (const id of inArea) expect(onStreet).toContain(id);
    await expect
      .poll(() => ui.countText())
      .toBe(inArea.length === 1 ? '1 signalement' : `${inArea.length} signalements`);
    await ui.expectAccessible('history screen, filtered, with an area');

    // The report page: photo, timeline, duplicates, nearby reports.
    await page.locator(`a.hs-row[data-id="${ids.kept}"]`).click();
    await page.waitForURL(`**/staff/reports/${ids.kept}`);
    await page.getByRole('heading', { name: /^Nid-de-poule — \d+ Rue de l'Église$/ }).waitFor();
    const thumb = page.getByRole('img', { name: 'Photo 1 sur 1', exact: true });
    await expect
      .poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    const timeline = page.locator('.rp-timeline li');
    await expect.poll(() => timeline.count()).toBe(3);
    expect(await timeline.nth(0).textContent()).toContain('Signalement reçu · Déclarant');
    expect(await timeline.nth(1).textContent()).toMatch(
      /Statut changé · Agent.*Nouveau → Pris en compte.*Vu avec le riverain/,
    );
    expect(await timeline.nth(1).locator('.hs-internal').count()).toBe(0);
    expect(await timeline.nth(2).textContent()).toMatch(/Note interne · Agent.*Interne/);
    const duplicates = page.getByRole('region', { name: 'Doublon (1)', exact: true });
    expect(await duplicates.getByRole('link').count()).toBe(1);
    const nearby = page.getByRole('region', { name: 'À proximité (moins de 100 m)', exact: true });
    expect(await nearby.getByRole('link').count()).toBeGreaterThanOrEqual(1);
    expect(await nearby.getByRole('link', { name: /Doublon.*Rue de l'Église.*à 15 m/ }).count()).toBe(1);
    await page.locator('.report-map').waitFor();
    await ui.expectAccessible('report page');

    // The full photo, in a dialog; Escape closes it.
    await page.getByRole('button', { name: 'Agrandir la photo 1' }).click();
    const full = page.locator('dialog[open] img');
    await expect
      .poll(() => full.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(await full.getAttribute('src')).toMatch(
      new RegExp(`^/api/reports/${ids.kept}/photos/1\\?v=[0-9a-f]{12}$`),
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);

    // The duplicate's page names the kept report.
    await duplicates.getByRole('link').click();
    await page.waitForURL(`**/staff/reports/${ids.duplicate}`);
    const kept = page.getByRole('region', { name: 'Doublon de', exact: true });
    await kept.getByRole('link').waitFor();
    expect(await kept.getByRole('link').getAttribute('href')).toBe(`/staff/reports/${ids.kept}`);

    // In English, both screens; back to the history with its filters.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: '← Back to the history' }).waitFor();
    await ui.expectAccessible('report page (English)');
    await page.getByRole('link', { name: '← Back to the history' }).click();
    await page.getByRole('heading', { name: 'Report history' }).waitFor();
    expect(ui.query().get('address')).toBe("Rue de l'Église");
    expect(ui.query().get('area')).not.toBeNull();
    await ui.listLoaded();
    await expect.poll(() => ui.rowIds()).toEqual(inArea);
    await ui.expectAccessible('history screen (English)');

    expect(errors).toEqual([]);
  });
});
