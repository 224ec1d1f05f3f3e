import fs from 'node:fs';
import pg from 'pg';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { demoCommuneId } from '../support/fixtures';
import { HistoryPage } from '../support/pages/history.page';
import { sendResidentReport } from '../support/resident';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { TestSmtpServer } from '../support/smtp';
import { createStaff, newEmail, signIn, staffListIds, type TestUser } from '../support/staff';

/**
 * Issue 6's journey, in Debian's Chromium against the real server process with a real SMTP
 * server: a supervisor finds a report by its address, marks it a duplicate of another, exports
 * the filtered list as CSV and GeoJSON, fixes the kept report, and its reporter receives the
 * email (the duplicate's reporter too). Three reports on Rue du Moulin (a demo street no other test writes to).
 */

/** Two reports 12 m apart near the west end of Rue du Moulin, and one at its east end. */
const MILL_WEST = { lat: 47.707, lon: -2.6462 };
const MILL_WEST_2 = { lat: 47.7071, lon: -2.6461 };
const MILL_EAST = { lat: 47.7085, lon: -2.6437 };
const PUBLIC_URL = 'https://signalements.saint-nolff.test';

let server: ServerProcess;
let smtp: TestSmtpServer;
let browser: Browser;
let pool: pg.Pool;
let supervisor: TestUser;
let cookie: string;
const emails = { kept: newEmail('resident'), duplicate: newEmail('resident') };
const ids = {} as Record<'kept' | 'duplicate' | 'east', string>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  smtp = await TestSmtpServer.start();
  server = await startServerProcess({
    databaseUrl: inject('databaseUrl'),
    env: { SMTP_URL: smtp.url, PUBLIC_URL, MAIL_FROM: 'Mairie de Saint-Nolff <mairie@saint-nolff.test>' },
  });
  browser = await launchChromium();
  const communeId = await demoCommuneId(server.url);
  supervisor = await createStaff(pool, [{ communeId, role: 'supervisor' }]);
  cookie = await signIn(server.url, supervisor);
  ids.kept = (await sendResidentReport(server.url, MILL_WEST, { contactEmail: emails.kept })).id;
  ids.duplicate = (await sendResidentReport(server.url, MILL_WEST_2, { contactEmail: emails.duplicate })).id;
  ids.east = (await sendResidentReport(server.url, MILL_EAST)).id;
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
  await pool?.end();
});

/** Clicks a download link and returns the file's text (Chromium saves it; nothing is fetched aside). */
async function download(page: Page, name: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const saved = await file.path();
  return { file, text: fs.readFileSync(saved, 'utf8') };
}

/** Changes the status on the report page open in `page` through its status form. */
async function changeStatus(page: Page, status: string, pickKept?: RegExp): Promise<void> {
  const form = page.getByRole('region', { name: 'Statut', exact: true });
  await form.getByLabel('Nouveau statut').selectOption({ label: status });
  if (pickKept) {
    const picker = form.getByRole('group', { name: 'Choisissez le signalement conservé' });
    await picker.getByRole('radio', { name: pickKept }).check();
  }
  await form.getByRole('button', { name: 'Changer le statut' }).click();
  await form.getByText(`Statut changé : ${status}.`).waitFor();
}

/** Waits for the queue in PostgreSQL to hand an email to the SMTP server. */
async function mailTo(address: string, subject: string) {
  await expect
    .poll(() => smtp.to(address).filter((m) => m.subject === subject).length, { timeout: 30_000 })
    .toBe(1);
  return smtp.to(address).find((m) => m.subject === subject)!;
}

describe('town hall journey: find, merge, export, fix, notify', () => {
  it('a supervisor finds a report by address, marks it a duplicate, exports the list, fixes the kept report and its reporter is told', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const ui = new HistoryPage(page, server.url);

    // Find the reports of Rue du Moulin by their address.
    await ui.signIn(supervisor);
    await page.getByRole('link', { name: 'Historique' }).click();
    await page.getByRole('heading', { name: 'Historique des signalements' }).waitFor();
    await ui.listLoaded();
    await page.getByRole('combobox', { name: 'Adresse' }).fill('rue du moul');
    await page.getByRole('option', { name: 'Rue du Moulin — toute la voie' }).click();
    await expect.poll(() => ui.query().get('address')).toBe('Rue du Moulin');
    await ui.listLoaded();
    const onStreet = await staffListIds(server.url, cookie, ui.query());
    expect(onStreet).toEqual(expect.arrayContaining([ids.kept, ids.duplicate, ids.east]));
    await expect.poll(async () => (await ui.rowIds()).sort()).toEqual([...onStreet].sort());
    for (const text of await ui.rows().allTextContents()) expect(text).toContain('Rue du Moulin');

    // Open the second report and mark it a duplicate of the first, picked among the nearby ones.
    await page.locator(`a.hs-row[data-id="${ids.duplicate}"]`).click();
    await page.waitForURL(`**/staff/reports/${ids.duplicate}`);
    await page.getByRole('heading', { name: /^Nid-de-poule — \d+ Rue du Moulin$/ }).waitFor();
    await changeStatus(page, 'Doublon', new RegExp(`\\(n° ${ids.kept.slice(0, 8)}\\)$`));
    const keptLink = page.getByRole('region', { name: 'Doublon de', exact: true }).getByRole('link');
    await keptLink.waitFor();
    expect(await keptLink.getAttribute('href')).toBe(`/staff/reports/${ids.kept}`);
    const stored = await pool.query('SELECT status, duplicate_of FROM reports WHERE id = $1', [
      ids.duplicate,
    ]);
    expect(stored.rows[0]).toEqual({ status: 'duplicate', duplicate_of: ids.kept });
    await ui.expectAccessible('report page, marked a duplicate');

    // Back to the history, still filtered by the address: export what it lists.
    await page.getByRole('link', { name: '← Retour à l’historique' }).click();
    await page.getByRole('heading', { name: 'Historique des signalements' }).waitFor();
    expect(ui.query().get('address')).toBe('Rue du Moulin');
    await ui.listLoaded();
    const listed = await staffListIds(server.url, cookie, ui.query());
    expect(listed.sort()).toEqual([...onStreet].sort());
    await page.getByRole('region', { name: 'Exporter la liste' }).getByRole('status').waitFor();
    expect(
      await page.getByRole('region', { name: 'Exporter la liste' }).getByRole('status').textContent(),
    ).toBe(`${listed.length} signalements`);

    const csv = await download(page, 'Tableur (CSV)');
    expect(csv.file.suggestedFilename()).toMatch(/\.csv$/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff); // BOM: a spreadsheet reads it as UTF-8
    const lines = csv.text.slice(1).trimEnd().split(/\r?\n/);
    const header = lines[0]!.split(';');
    expect(header).toContain('duplicate_of');
    expect(header).not.toContain('contact_email'); // a supervisor, not an admin
    const rows = lines.slice(1).map((l) => l.split(';'));
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => r[col('id')]).sort()).toEqual([...listed].sort());
    const dupRow = rows.find((r) => r[col('id')] === ids.duplicate)!;
    expect(dupRow[col('status')]).toBe('duplicate');
    expect(dupRow[col('duplicate_of')]).toBe(ids.kept);
    for (const r of rows) expect(r[col('address')]).toMatch(/Rue du Moulin/);
    expect(csv.text).not.toContain(emails.kept);
    expect(csv.text).not.toContain(emails.duplicate);

    const geo = await download(page, 'Carte SIG (GeoJSON)');
    expect(geo.file.suggestedFilename()).toMatch(/\.geojson$/);
    const collection = JSON.parse(geo.text) as {
      type: string;
      features: Array<{
        id: string;
        geometry: { type: string; coordinates: [number, number] };
        properties: Record<string, unknown>;
      }>;
    };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f) => f.id).sort()).toEqual([...listed].sort());
    const kept = collection.features.find((f) => f.id === ids.kept)!;
    expect(kept.geometry.type).toBe('Point');
    expect(kept.geometry.coordinates[0]).toBeCloseTo(MILL_WEST.lon, 5); // [lon, lat]
    expect(kept.geometry.coordinates[1]).toBeCloseTo(MILL_WEST.lat, 5);
    expect(collection.features.find((f) => f.id === ids.duplicate)!.properties.duplicate_of).toBe(ids.kept);
    expect(geo.text).not.toContain(emails.kept);

    const audited = await pool.query(
      `SELECT data->>'format' AS format FROM audit_log WHERE action = 'export' AND actor_user_id = $1 ORDER BY id`,
      [supervisor.id],
    );
    expect(audited.rows.map((r) => r.format)).toEqual(['csv', 'geojson']);

    // The kept report's page lists its duplicate; the supervisor closes it as fixed.
    await page.locator(`a.hs-row[data-id="${ids.kept}"]`).click();
    await page.waitForURL(`**/staff/reports/${ids.kept}`);
    const duplicates = page.getByRole('region', { name: 'Doublon (1)', exact: true });
    await duplicates.getByRole('link').waitFor();
    await changeStatus(page, 'Réparé');
    await ui.expectAccessible('report page, fixed');

    // The kept report's reporter receives the email, through the queue and the SMTP server.
    const fixed = await mailTo(emails.kept, 'Votre signalement est réparé — Saint-Nolff');
    expect(fixed.text).toContain('Bonne nouvelle : le problème que vous avez signalé a été réparé.');
    expect(fixed.text).toContain('Rue du Moulin');
    expect(fixed.header('list-unsubscribe')).toMatch(new RegExp(`^<${PUBLIC_URL}/unsubscribe/[\\w-]+>$`));
    expect(fixed.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(fixed.from).toBe('mairie@saint-nolff.test');
    // The duplicate's reporter was told which report the town hall follows, then that it is fixed.
    const merged = await mailTo(emails.duplicate, 'Votre signalement était déjà connu — Saint-Nolff');
    expect(merged.text).toContain(`${PUBLIC_URL}/#/mine/${ids.kept}`);
    const alsoFixed = await mailTo(emails.duplicate, 'Votre signalement est réparé — Saint-Nolff');
    expect(alsoFixed.text).toContain(`Voir votre signalement :\n${PUBLIC_URL}/#/mine/${ids.duplicate}`);
    expect(alsoFixed.text).toContain(`Le signalement suivi :\n${PUBLIC_URL}/#/mine/${ids.kept}`);
    expect(smtp.to(emails.duplicate)).toHaveLength(2);
    expect(smtp.to(emails.kept)).toHaveLength(1);
    // The one-click link works (RFC 8058: a POST, no confirmation page needed).
    const link = fixed.header('list-unsubscribe')!.slice(1, -1).replace(PUBLIC_URL, server.url);
    const unsubscribed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);

    expect(errors).toEqual([]);
  });
});
