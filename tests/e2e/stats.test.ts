import fs from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { createStaff, type TestUser } from '../support/staff';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;
let supervisor: TestUser;
let slug: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  const { rows } = await pool.query<{ id: number; slug: string }>(
    "SELECT id, slug FROM communes WHERE name = 'Saint-Nolff'",
  );
  slug = rows[0]!.slug;
  supervisor = await createStaff(pool, [{ communeId: rows[0]!.id, role: 'supervisor' }]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await pool?.end();
});

async function signInUi(page: Page, user: TestUser): Promise<void> {
  await page.goto(`${server.url}/staff/`);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

async function axeViolations(page: Page): Promise<unknown[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(d: Document): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/** The reports the history list's API gives for the filter in the page's address. */
async function listCountFor(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      // The filter of the address (the history screen also keeps its map's view there).
      const keys = [
        'commune',
        'status',
        'category',
        'priority',
        'from',
        'to',
        'q',
        'address',
        'area',
        'bbox',
      ];
      const q = new URLSearchParams(
        [...new URLSearchParams(location.search)].filter(([k]) => keys.includes(k)),
      );
      q.set('limit', '100');
      if (cursor) q.set('cursor', cursor);
      const page = (await (await fetch(`/api/staff/reports?${q.toString()}`)).json()) as {
        items: unknown[];
        nextCursor: string | null;
      };
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  });
}

/** Moves the mouse over a chart until it points at a bar (Chart.js shows the pointer there). */
async function pointAtBar(page: Page, canvasSelector: string): Promise<{ x: number; y: number }> {
  const canvas = page.locator(canvasSelector).first();
  const box = (await canvas.boundingBox())!;
  for (let fy = 0.9; fy >= 0.3; fy -= 0.1)
    for (let fx = 0.08; fx < 1; fx += 0.02) {
      const x = box.x + box.width * fx;
      const y = box.y + box.height * fy;
      await page.mouse.move(x, y);
      if ((await canvas.evaluate((el) => (el as HTMLCanvasElement).style.cursor)) === 'pointer')
        return { x, y };
    }
  throw new Error(`no bar found in ${canvasSelector}`);
}

describe('statistics screen', () => {
  it('shows charts and tables; every figure opens the history list with its filter; accessible in French and English', async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const page = await context.newPage();
    await signInUi(page, supervisor);
    await page.getByRole('link', { name: 'Statistiques' }).click();
    await page.getByRole('heading', { name: 'Statistiques', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/stats');

    // Headline figures, the charts (canvases with a description) and their tables.
    const total = page.getByRole('link', { name: /Signalements/ }).first();
    await total.waitFor();
    await page.locator('canvas[role="img"]').first().waitFor();
    await page.getByRole('table', { name: /Délais de réparation par catégorie/ }).waitFor();
    await page.getByRole('table', { name: 'Les cases les plus chargées' }).waitFor();
    await page.locator('.stats-map.leaflet-container').waitFor();
    expect(await page.locator('canvas[role="img"]').count()).toBeGreaterThanOrEqual(3);
    const shown = Number(
      (await page.locator('.stats-summary-value').first().textContent())!.replace(/\D/g, ''),
    );
    expect(shown).toBeGreaterThanOrEqual(40); // the demo commune has 40 reports (other tests add some)
    expect(await axeViolations(page), 'statistics screen (FR)').toEqual([]);

    // A headline figure: the open reports.
    const open = page.locator('.stats-summary a').nth(1);
    const openCount = Number((await open.locator('.stats-summary-value').textContent())!.replace(/\D/g, ''));
    await open.click();
    await page.waitForURL(/\/staff\/history\?/);
    expect(new URL(page.url()).searchParams.get('status')).toBe('new,acknowledged,planned,in_progress');
    expect(await listCountFor(page)).toBe(openCount);
    await page.goBack();
    await page.getByRole('heading', { name: 'Statistiques', level: 1 }).waitFor();

    // A bar of the reports-over-time chart: its month and status.
    await page.locator('.stats-figure canvas').first().waitFor();
    const bar = await pointAtBar(page, '.stats-figure canvas');
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL(/\/staff\/history\?/);
    const fromBar = new URL(page.url()).searchParams;
    expect(fromBar.get('from')).toMatch(/^\d{4}-\d\d-01$/);
    expect(fromBar.get('to')).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(fromBar.get('status')).toMatch(/^[a-z_]+$/);
    expect(await listCountFor(page)).toBeGreaterThan(0);
    await page.goBack();

    // A cell of the time-to-fix table: the fixed reports of the first category.
    const fixedLink = page
      .getByRole('table', { name: /Délais de réparation par catégorie/ })
      .locator('tbody tr')
      .first()
      .locator('td')
      .first()
      .getByRole('link');
    const fixedCount = Number((await fixedLink.textContent())!.replace(/\D/g, ''));
    await fixedLink.click();
    await page.waitForURL(/\/staff\/history\?/);
    const fromTable = new URL(page.url()).searchParams;
    expect(fromTable.get('status')).toBe('fixed');
    expect(fromTable.get('category')).toMatch(/^[a-z_]+$/);
    expect(await listCountFor(page)).toBe(fixedCount);
    await page.goBack();

    // The busiest hotspot: its cell as the list's area.
    const hotspot = page
      .getByRole('table', { name: 'Les cases les plus chargées' })
      .getByRole('link')
      .first();
    const hotCount = Number((await hotspot.textContent())!.replace(/\D/g, ''));
    await hotspot.click();
    await page.waitForURL(/area=/);
    expect(new URL(page.url()).searchParams.get('area')!.split(';')).toHaveLength(4);
    expect(await listCountFor(page)).toBe(hotCount);
    await page.goBack();

    // A filter changes the address, the figures and the export links alike.
    await page.getByLabel('Regrouper par').selectOption('week');
    await page.getByLabel('État', { exact: true }).selectOption('fixed');
    await page.waitForURL(/status=fixed/);
    expect(new URL(page.url()).searchParams.get('interval')).toBe('week');
    await expect
      .poll(async () => page.getByRole('link', { name: 'Tableur (CSV)' }).getAttribute('href'))
      .toBe(`/api/reports/export.csv?status=fixed`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tableur (CSV)' }).click(),
    ]);
    const file = fs.readFileSync((await download.path())!);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]!.startsWith('id;commune;received_at;status;')).toBe(true);
    expect(lines.slice(1).every((l) => l.split(';')[3] === 'fixed')).toBe(true);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^vigie-${slug}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Statistics', level: 1 }).waitFor();
    await page.getByRole('table', { name: /Time to fix by category/ }).waitFor();
    await page.locator('canvas[role="img"]').first().waitFor();
    expect(await axeViolations(page), 'statistics screen (EN)').toEqual([]);
    await context.close();
  });

  it('says so when no report matches, and offers to clear the filters', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await signInUi(page, supervisor);
    await page.getByRole('link', { name: 'Statistiques' }).waitFor();
    await page.goto(`${server.url}/staff/stats?from=2001-01-01&to=2001-01-31`);
    await page.getByText('Aucun signalement ne correspond à ces filtres.').waitFor();
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await page.locator('.stats-summary a').first().waitFor();
    expect(new URL(page.url()).search).toBe('');
    // A filter the API refuses: a message a person can act on, and a retry.
    await page.goto(`${server.url}/staff/stats?priority=urgent`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'Les statistiques n’ont pas pu être calculées' })
      .first()
      .waitFor();
    await context.close();
  });
});
