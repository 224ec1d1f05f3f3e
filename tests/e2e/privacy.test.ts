import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, PHONE } from '../support/browser';
import { PHOTOS_DIR } from '../support/fixtures';
import { ResidentApp } from '../support/pages/resident.page';
import { createStaff } from '../support/staff';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * A resident's data protection, in Debian's Chromium at a phone viewport against the real
 * server process: the email left on a report is erased from "my reports", and the server has
 * it no more; the commune's privacy notice opens from the capture screen.
 */

const BOURG = { latitude: 47.7046, longitude: -2.6514, accuracy: 9 };
const SMALL = path.join(PHOTOS_DIR, 'noexif.jpg');

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await pool?.end();
  await server?.stop();
});

async function phone(): Promise<ResidentApp> {
  const context = await browser.newContext({ ...PHONE, ...ResidentApp.contextOptions(BOURG) });
  contexts.push(context);
  return new ResidentApp(await context.newPage(), server.url);
}

describe('resident app: personal data', () => {
  it('erases the email left on a report from "my reports": confirmed, said clearly, gone from the server', async () => {
    const app = await phone();
    const email = `habitant-${Date.now()}@exemple.fr`;
    await app.open();
    await app.waitForPlaceAndCategories();
    await app.addPhotos([SMALL]);
    await app.chooseCategory('Nid-de-poule');
    await app.page.getByLabel("Me prévenir quand c'est réparé (facultatif)").fill(email);
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');
    const { rows } = await pool.query(
      'SELECT id, contact_email, contact_locale FROM reports WHERE contact_email = $1',
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contact_locale: 'fr' });
    const id = rows[0].id as string;

    await app.openMyReports();
    await expect.poll(() => app.myReportItems().count()).toBeGreaterThan(0);
    await app.myReportItems().first().click();
    const erase = app.page.getByRole('button', { name: 'Effacer mon adresse e-mail' });
    await expect.poll(() => erase.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await app.page.getByText(`Vous serez prévenu à ${email}.`).count()).toBe(1);
    // A thumb-sized target.
    const box = await erase.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(48);
    expect(box!.width).toBeGreaterThanOrEqual(200);
    await app.expectAccessible('report detail with the email section');

    await erase.click();
    const confirm = app.page.getByRole('group', { name: 'Effacer votre adresse e-mail ?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await app.expectAccessible('erase confirmation');
    // Cancelling keeps everything.
    await confirm.getByRole('button', { name: 'Annuler' }).click();
    expect(
      (await pool.query('SELECT contact_email FROM reports WHERE id = $1', [id])).rows[0].contact_email,
    ).toBe(email);
    await erase.click();
    await confirm.getByRole('button', { name: 'Oui, effacer' }).click();
    await expect
      .poll(
        () => app.page.getByRole('status').filter({ hasText: 'Votre adresse e-mail a été effacée.' }).count(),
        {
          timeout: 10_000,
        },
      )
      .toBe(1);
    expect(await app.page.getByText(email).count()).toBe(0);
    await app.expectAccessible('email erased');

    const after = await pool.query(
      `SELECT contact_email, contact_locale,
              (SELECT count(*)::int FROM email_outbox WHERE report_id = $1) AS emails
         FROM reports WHERE id = $1`,
      [id],
    );
    expect(after.rows[0]).toEqual({ contact_email: null, contact_locale: null, emails: 0 });

    // Reopened later, the report says no email is kept, and the phone's own copy forgot it too.
    await app.page.reload();
    await expect
      .poll(
        () => app.page.getByText("Aucune adresse e-mail n'est enregistrée pour ce signalement.").count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(1);
    const local = await app.page.evaluate(async (reportId) => {
      const open = indexedDB.open('vigie');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction('sent', 'readonly');
      const req = tx.objectStore('sent').get(reportId);
      return new Promise<unknown>((resolve) => (req.onsuccess = () => resolve(req.result)));
    }, id);
    expect(JSON.stringify(local)).not.toContain(email);
  });

  it("opens the commune's printable privacy notice from the capture screen, accessible", async () => {
    const app = await phone();
    await app.open();
    await app.waitForPlaceAndCategories();
    const link = app.page.getByRole('link', { name: 'Vos données personnelles' });
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    const [notice] = await Promise.all([app.page.context().waitForEvent('page'), link.click()]);
    await notice!.waitForLoadState();
    expect(new URL(notice!.url()).pathname).toBe('/privacy/saint-nolff');
    expect(await notice!.getByRole('heading', { level: 1 }).textContent()).toContain(
      'vos données personnelles',
    );
    expect(await notice!.getByText('12 mois après sa clôture').count()).toBe(1);
    const noticeApp = new ResidentApp(notice!, server.url);
    await noticeApp.expectAccessible('privacy notice');
    await notice!.emulateMedia({ media: 'print' });
    expect(await notice!.getByRole('link', { name: 'English version' }).isVisible()).toBe(false);
  });
});

describe('staff settings: photos and personal data', () => {
  it("an admin sets the commune's retention periods and public photos; the notice follows", async () => {
    const { rows } = await pool.query(
      `SELECT id, contact_retention_months, location_retention_years, photos_public FROM communes WHERE slug = 'saint-nolff'`,
    );
    const commune = rows[0] as {
      id: number;
      contact_retention_months: number;
      location_retention_years: number;
      photos_public: boolean;
    };
    const admin = await createStaff(pool, [{ communeId: commune.id, role: 'admin' }]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    contexts.push(context);
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/staff/settings`);
      await page.getByLabel('Adresse e-mail').fill(admin.email);
      await page.getByLabel('Mot de passe', { exact: true }).fill(admin.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect
        .poll(() => page.getByRole('heading', { name: 'Photos et données personnelles' }).isVisible(), {
          timeout: 15_000,
        })
        .toBe(true);
      const screen = new ResidentApp(page, server.url);
      await screen.expectAccessible('settings: photos and personal data');

      const months = page.getByLabel('Effacer l’adresse e-mail des habitants après (mois)');
      expect(await months.inputValue()).toBe(String(commune.contact_retention_months));
      const years = page.getByLabel(
        'Arrondir l’emplacement, effacer les textes et les photos après (années)',
      );
      // A location kept for less time than the email is refused before anything is sent.
      await months.fill('30');
      await years.fill('2');
      await page.locator('#settings-privacy').getByRole('button', { name: 'Enregistrer' }).click();
      await expect
        .poll(() => page.getByText('L’emplacement ne peut pas être gardé moins longtemps').count())
        .toBe(1);
      expect(await years.getAttribute('aria-invalid')).toBe('true');
      await screen.expectAccessible('settings with an error');

      await months.fill('6');
      await years.fill('4');
      await page.getByLabel('Montrer les photos au public une fois vérifiées par un modérateur').check();
      await page
        .getByLabel('Comment joindre la mairie pour exercer ses droits')
        .fill('Mairie de Saint-Nolff\ndpo@saint-nolff.test');
      await page.locator('#settings-privacy').getByRole('button', { name: 'Enregistrer' }).click();
      await expect.poll(() => page.getByText('Réglages enregistrés.').count(), { timeout: 10_000 }).toBe(1);
      const saved = await pool.query(
        'SELECT contact_retention_months, location_retention_years, photos_public, privacy_contact FROM communes WHERE id = $1',
        [commune.id],
      );
      expect(saved.rows[0]).toEqual({
        contact_retention_months: 6,
        location_retention_years: 4,
        photos_public: true,
        privacy_contact: 'Mairie de Saint-Nolff\ndpo@saint-nolff.test',
      });
      const notice = await (await fetch(`${server.url}/privacy/saint-nolff`)).text();
      expect(notice).toContain('6 mois après sa clôture');
      expect(notice).toContain('dpo@saint-nolff.test');
    } finally {
      await pool.query(
        `UPDATE communes SET contact_retention_months = $2, location_retention_years = $3, photos_public = $4,
                             privacy_contact = NULL WHERE id = $1`,
        [
          commune.id,
          commune.contact_retention_months,
          commune.location_retention_years,
          commune.photos_public,
        ],
      );
    }
  });
});
