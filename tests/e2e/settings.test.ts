import fs from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, PHONE } from '../support/browser';
import { demoCommuneId } from '../support/fixtures';
import { ResidentApp } from '../support/pages/resident.page';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { createStaff, type TestUser } from '../support/staff';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The bourg of Saint-Nolff, inside the demo commune. */
const BOURG = { latitude: 47.7046, longitude: -2.6514, accuracy: 9 };

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;
let communeId: number;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  communeId = await demoCommuneId(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await pool?.end();
});

async function signInUi(page: Page, user: TestUser): Promise<void> {
  await page.goto(`${server.url}/staff/settings`);
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

/** The category labels a resident's phone offers at the bourg, after opening the app. */
/**
 * Opens the resident app at the bourg and returns a reader of its category grid. The grid first
 * shows the copy kept on the phone, then the commune's list once the place is known: callers
 * poll the reader until the grid says what they expect.
 */
async function residentGrid(app: ResidentApp): Promise<() => Promise<string[]>> {
  const fresh = app.page.waitForResponse((r) => r.url().includes('/api/categories?lat='));
  await app.open();
  await app.waitForPlaceAndCategories();
  await fresh;
  return () =>
    app.page
      .getByRole('radio')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''));
}

describe('settings screen (admins)', () => {
  it('adds, renames and deactivates a category; the residents’ grid follows; depot, hours, crew members', async () => {
    const admin = await createStaff(pool, [{ communeId, role: 'admin' }]);
    const crewUser = await createStaff(pool, [{ communeId, role: 'crew' }]);
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await desk.newPage();
    await signInUi(page, admin);
    await page.getByRole('heading', { name: 'Paramètres de la commune' }).waitFor();
    const categories = page.locator('#settings-categories');
    await categories.locator('tr[data-code="pothole"]').waitFor();
    await page.locator('#settings-crews').getByRole('heading', { name: 'Équipe voirie' }).waitFor();
    await page.locator('#settings-depot .leaflet-container').waitFor();
    expect(await axeViolations(page), 'settings screen').toEqual([]);

    const resident = await browser.newContext({ ...PHONE, ...ResidentApp.contextOptions(BOURG) });
    const app = new ResidentApp(await resident.newPage(), server.url);
    await expect.poll(await residentGrid(app)).not.toContain('Trottoir abîmé');

    // Add a category.
    await categories.getByRole('button', { name: 'Ajouter une catégorie' }).click();
    const form = categories.getByRole('form', { name: 'Nouvelle catégorie' });
    await form.getByLabel('Libellé (français)').fill('Trottoir abîmé');
    await form.getByLabel('Libellé (anglais)').fill('Damaged pavement');
    await form.getByLabel('Code').fill('trottoir');
    await form.getByLabel('Type de travaux').fill('Trottoirs');
    await form.getByRole('radio', { name: 'Chaussée' }).check();
    await form.getByLabel('Durée d’intervention (min)').fill('25');
    expect(await axeViolations(page), 'new category form').toEqual([]);
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    // The work type is checked before it is sent: a code, not a phrase.
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Le type de travaux doit faire');
    await form.getByLabel('Type de travaux').fill('asphalt');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => categories.getByRole('status').textContent())
      .toBe('Catégorie « Trottoir abîmé » ajoutée.');
    await categories.locator('tr[data-code="trottoir"]').waitFor();
    await expect.poll(await residentGrid(app)).toContain('Trottoir abîmé');

    // Rename it.
    await categories.getByRole('button', { name: 'Modifier Trottoir abîmé' }).click();
    const edit = categories.getByRole('form', { name: 'Modifier « Trottoir abîmé »' });
    await edit.getByLabel('Libellé (français)').fill('Trottoir dégradé');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => categories.getByRole('status').textContent())
      .toBe('Catégorie « Trottoir dégradé » enregistrée.');
    const grid = await residentGrid(app);
    await expect.poll(grid).toContain('Trottoir dégradé');
    expect(await grid()).not.toContain('Trottoir abîmé');

    // Deactivate it: residents no longer see it; it stays listed for the admin.
    await categories.getByRole('button', { name: 'Désactiver Trottoir dégradé' }).click();
    await expect
      .poll(() => categories.getByRole('status').textContent())
      .toContain('Catégorie « Trottoir dégradé » désactivée');
    expect(await categories.locator('tr[data-code="trottoir"]').textContent()).toContain('Désactivée');
    await expect.poll(await residentGrid(app)).not.toContain('Trottoir dégradé');
    const { rows } = await pool.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE commune_id = $1 AND object_id = 'trottoir' ORDER BY id",
      [communeId],
    );
    expect(rows.map((r) => r.action)).toEqual(['category_created', 'category_updated', 'category_updated']);

    // A category that reports use cannot lose its code; the server says so.
    await categories.getByRole('button', { name: 'Modifier Nid-de-poule' }).click();
    const pothole = categories.getByRole('form', { name: 'Modifier « Nid-de-poule »' });
    expect(await pothole.getByLabel('Code').getAttribute('readonly')).not.toBeNull();
    await pothole.getByRole('button', { name: 'Annuler' }).click();

    // The depot, by typed coordinates (no map tiles here): outside the commune, refused; inside, moved.
    const depot = page.locator('#settings-depot');
    await depot.getByLabel('Latitude').fill('48.8566');
    await depot.getByLabel('Longitude').fill('2.3522');
    await depot.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => depot.getByRole('alert').textContent())
      .toContain('Ce point est hors de la commune');
    await depot.getByLabel('Latitude').fill(String(BOURG.latitude));
    await depot.getByLabel('Longitude').fill(String(BOURG.longitude));
    await depot.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => depot.getByRole('status').textContent()).toContain('Dépôt déplacé');
    const moved = await pool.query<{ lat: number }>(
      'SELECT ST_Y(depot::geometry) AS lat FROM communes WHERE id = $1',
      [communeId],
    );
    expect(moved.rows[0]!.lat).toBeCloseTo(BOURG.latitude, 6);

    // Working hours.
    const hours = page.locator('#settings-hours');
    await hours.getByLabel('Début de journée').fill('07:30');
    await hours.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => hours.getByRole('status').textContent()).toBe('Début de journée : 07:30.');

    // A crew member.
    const crews = page.locator('#settings-crews');
    await crews
      .getByLabel('Ajouter un membre à Équipe voirie')
      .selectOption({ label: `${crewUser.email} (Équipe technique)` });
    await crews
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Équipe voirie' }) })
      .getByRole('button', { name: 'Ajouter' })
      .click();
    await expect
      .poll(() => crews.getByRole('status').textContent())
      .toBe(`${crewUser.email} fait partie de Équipe voirie.`);
    await crews.getByRole('button', { name: `Retirer ${crewUser.email} de Équipe voirie` }).waitFor();
    expect(await axeViolations(page), 'settings screen after changes').toEqual([]);

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Commune settings' }).waitFor();
    await page.getByRole('button', { name: 'Add a category' }).waitFor();
    expect(await axeViolations(page), 'settings screen in English').toEqual([]);

    // A tablet in portrait still shows every section without sideways scrolling of the page.
    await page.setViewportSize({ width: 800, height: 1100 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(
      true,
    );

    await resident.close();
    await desk.close();
  });
});
