import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OwnReport, PublicReport } from '../../server/src/contract/reports';
import { launchChromium, PHONE } from '../support/browser';
import { PHOTOS_DIR } from '../support/fixtures';
import { PhoneNetwork } from '../support/pages/phone-network';
import { ResidentApp } from '../support/pages/resident.page';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The resident PWA in Debian's Chromium at a phone viewport, against the real server process,
 * through a network the test controls (down, lost answers).
 */

/** The bourg of Saint-Nolff, inside the demo commune. */
const BOURG = { latitude: 47.7046, longitude: -2.6514, accuracy: 9 };
const PIXEL = path.join(PHOTOS_DIR, 'IMG_20180725_163423.jpg');
const SMALL = path.join(PHOTOS_DIR, 'noexif.jpg');

let server: ServerProcess;
let net: PhoneNetwork;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  net = await PhoneNetwork.start(server.url);
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await net?.close();
  await server?.stop();
});

async function phone(
  position: typeof BOURG | null = BOURG,
): Promise<{ app: ResidentApp; context: BrowserContext }> {
  const context = await browser.newContext({ ...PHONE, ...ResidentApp.contextOptions(position) });
  contexts.push(context);
  const page = await context.newPage();
  return { app: new ResidentApp(page, net.url), context };
}

async function api<T>(pathname: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}${pathname}`, { headers: { 'X-Reporter-Token': token } });
  expect(res.status, pathname).toBe(200);
  return (await res.json()) as T;
}

describe('resident app: report a defect', () => {
  it('sends a report with a 12 MP gallery photo: stored on the server with its photo, downscaled, accessible screens', async () => {
    const { app } = await phone();
    const requested: string[] = [];
    app.page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await app.open();
    await app.waitForPlaceAndCategories();
    await app.expectAccessible('capture screen');

    await app.addPhotos([PIXEL], 'gallery');
    // The gallery photo carries its own GPS position (in Bohemia): offered, not imposed.
    await expect
      .poll(() =>
        app.page
          .getByRole('button', { name: /Utiliser la position de la photo \(à \d+(\.\d)? km\)/ })
          .count(),
      )
      .toBe(1);
    expect(await app.locationStatus().textContent()).toMatch(/Position trouvée \(± 9 m\)/);
    await app.chooseCategory('Nid-de-poule');
    await app.describe('Trou profond devant la mairie');
    await app.expectAccessible('capture screen, filled in');

    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');
    await expect.poll(() => app.savedPanel().textContent()).toContain('Envoyé à la mairie de Saint-Nolff');
    await app.expectAccessible('saved confirmation');
    // Residents never download the staff screens.
    expect(requested.filter((p) => p.includes('staff'))).toEqual([]);

    // Reporting the same spot again: the app says it is already known, and still lets the person send.
    await app.newReport();
    const hint = app.page.getByTestId('nearby-hint');
    await expect.poll(() => hint.textContent(), { timeout: 10_000 }).toContain('Nid-de-poule à 0 m : Reçu');
    await app.expectAccessible('capture screen with the "already reported nearby" hint');
    expect(await app.page.getByRole('button', { name: 'Envoyer' }).isEnabled()).toBe(true);

    const token = await app.reporterToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    const mine = await api<{ items: PublicReport[] }>('/api/reports/mine', token);
    expect(mine.items).toHaveLength(1);
    const report = await api<OwnReport>(`/api/reports/${mine.items[0]!.id}`, token);
    expect(report).toMatchObject({
      category: { code: 'pothole' },
      locationSource: 'gps',
      accuracy: 9,
      description: 'Trou profond devant la mairie',
      status: 'new',
      commune: { name: 'Saint-Nolff' },
    });
    expect(report.lat).toBeCloseTo(BOURG.latitude, 5);
    expect(report.lon).toBeCloseTo(BOURG.longitude, 5);
    expect(report.photos).toHaveLength(1);
    expect(report.photos[0]).toMatchObject({ width: 2048, height: 1536 });
    const photo = await fetch(`${server.url}${report.photos[0]!.url}`, {
      headers: { 'X-Reporter-Token': token },
    });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');

    const upload = net.puts().find((r) => r.path === `/api/reports/${report.id}`);
    expect(upload?.upstreamStatus).toBe(201);
    console.log(`bytes uploaded for a report with one 12 MP photo: ${upload!.bodyBytes}`);
    expect(upload!.bodyBytes).toBeLessThanOrEqual(500_000);

    // My reports: the server's status, then the detail with the photo fetched with the token.
    await app.openMyReports();
    await expect.poll(() => app.myReportItems().count()).toBe(1);
    await expect.poll(() => app.myReportItems().first().textContent()).toContain('Reçu');
    await app.expectAccessible('my reports');
    await app.myReportItems().first().click();
    await expect
      .poll(() => app.page.getByRole('img', { name: 'Photo 1 du signalement' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect.poll(() => app.page.getByText('Signalement reçu').count()).toBe(1);
    await app.expectAccessible('report detail');

    // English is one tap away, and every screen stays accessible in it.
    await app.page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => app.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await app.page.getByRole('navigation').getByRole('link', { name: 'Report', exact: true }).click();
    await expect
      .poll(() => app.page.getByRole('heading', { name: 'Report a problem' }).isVisible())
      .toBe(true);
    expect(await app.page.getByTestId('nearby-hint').textContent()).toContain('Already reported nearby');
    await app.expectAccessible('capture screen in English');
    await app.page.getByRole('button', { name: 'Passer en français' }).click();
    await expect.poll(() => app.page.evaluate(() => document.documentElement.lang)).toBe('fr');
  });

  it('stores photos upright: EXIF orientation applied once, by the browser', async () => {
    const { app } = await phone();
    await app.open();
    await app.waitForPlaceAndCategories('Panneau endommagé ou manquant');
    // f6 and f8 are stored 80x48 with a "rotate" tag: upright they are 48x80.
    await app.addPhotos(
      [path.join(PHOTOS_DIR, 'orientation-f6t.jpg'), path.join(PHOTOS_DIR, 'orientation-f8t.jpg')],
      'gallery',
    );
    await app.chooseCategory('Panneau endommagé ou manquant');
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');
    const token = await app.reporterToken();
    const [item] = (await api<{ items: PublicReport[] }>('/api/reports/mine', token)).items;
    const report = await api<OwnReport>(`/api/reports/${item!.id}`, token);
    expect(report.photos.map((p) => [p.width, p.height])).toEqual([
      [48, 80],
      [48, 80],
    ]);
  });

  it('without the location permission, typed coordinates place the report (no map needed)', async () => {
    const { app } = await phone(null);
    await app.open();
    await expect
      .poll(() => app.locationStatus().textContent(), { timeout: 15_000 })
      .toMatch(/Localisation refusée|Position indisponible/);
    await app.page.getByText('Saisir des coordonnées').click();
    await app.page.getByLabel('Latitude').fill('47,70512');
    await app.page.getByLabel('Longitude').fill('-2.65104');
    await app.page.getByRole('button', { name: 'Placer le repère' }).click();
    await expect
      .poll(() => app.page.getByTestId('coordinates').textContent())
      .toContain('47.70512, -2.65104');
    await app.waitForPlaceAndCategories('Éclairage public en panne');
    await app.addPhotos([SMALL]);
    await app.chooseCategory('Éclairage public en panne');
    await app.expectAccessible('capture screen without location permission');
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');
    const token = await app.reporterToken();
    const [item] = (await api<{ items: PublicReport[] }>('/api/reports/mine', token)).items;
    expect(item).toMatchObject({ locationSource: 'manual', lat: 47.70512, lon: -2.65104, accuracy: 10 });
  });
});

describe('resident app: offline, never lost, never duplicated', () => {
  it('opens with no network, queues 3 reports across a reload, and sends exactly 3 when the network returns', async () => {
    const { app, context } = await phone();
    await app.open();
    await app.waitForPlaceAndCategories(); // caches the commune's categories
    await app.waitForOfflineReady(context);

    net.goDown();
    await context.setOffline(true);
    const shell = await app.page.reload();
    expect(shell?.fromServiceWorker()).toBe(true);
    await expect
      .poll(() => app.page.getByText('Hors ligne').first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await app.waitForPlaceAndCategories();
    await expect
      .poll(() => app.page.getByText('Catégories de Saint-Nolff, enregistrées sur ce téléphone.').count())
      .toBe(1);

    for (const [i, category] of ['Nid-de-poule', 'Chaussée dégradée', 'Avaloir ou fossé bouché'].entries()) {
      await app.addPhotos([SMALL]);
      await app.chooseCategory(category);
      await app.describe(`Hors ligne n° ${i + 1}`);
      await app.send();
      await expect.poll(() => app.savedPhase(), { timeout: 15_000 }).toBe('queued');
      await expect.poll(() => app.waitingBadge()).toBe(`${i + 1} en attente d'envoi`);
      await app.newReport();
    }
    await app.expectAccessible('capture screen offline, 3 waiting');
    await app.openMyReports();
    await expect.poll(() => app.myReportItems().count()).toBe(3);
    expect(
      await app.myReportItems().evaluateAll((els) => els.map((e) => e.getAttribute('data-local'))),
    ).toEqual(['waiting', 'waiting', 'waiting']);
    await app.expectAccessible('my reports offline');
    await app.myReportItems().first().click();
    await expect.poll(() => app.page.getByText("En attente d'envoi").count()).toBeGreaterThan(0);
    await expect.poll(() => app.page.getByText('Dernière erreur : pas de réseau').count()).toBe(1);
    await app.expectAccessible('detail of a report waiting offline');

    // Still offline: the reload comes from the service worker, and the outbox from IndexedDB.
    expect((await app.page.reload())?.fromServiceWorker()).toBe(true);
    await expect.poll(() => app.waitingBadge(), { timeout: 15_000 }).toBe("3 en attente d'envoi");
    const deviceToken = await app.reporterToken();
    expect(deviceToken.length).toBeGreaterThanOrEqual(32);
    expect((await api<{ items: PublicReport[] }>('/api/reports/mine', deviceToken)).items).toHaveLength(0);

    net.goUp();
    await context.setOffline(false);
    await expect.poll(() => app.waitingBadge(), { timeout: 30_000 }).toBeNull();
    const mine = await api<{ items: PublicReport[] }>('/api/reports/mine', deviceToken);
    expect(mine.items.map((r) => r.description).sort()).toEqual([
      'Hors ligne n° 1',
      'Hors ligne n° 2',
      'Hors ligne n° 3',
    ]);
    // Whatever retried (page timer, `online`, Background Sync), each report was stored once.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api<{ items: PublicReport[] }>('/api/reports/mine', deviceToken)).items).toHaveLength(3);
  });

  it('sends again after a lost answer and the server keeps exactly one report', async () => {
    const { app } = await phone();
    await app.open();
    await app.waitForPlaceAndCategories();
    await app.addPhotos([SMALL]);
    await app.chooseCategory('Dépôt sauvage');
    const before = net.puts().length;
    net.dropNextPutAnswers(1);
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 30_000 }).toBe('sent');

    const puts = net.puts().slice(before);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(puts.map((p) => p.path)).size).toBe(1); // the same id every time
    expect(puts[0]).toMatchObject({ upstreamStatus: 201, dropped: true });
    expect(puts.at(-1)).toMatchObject({ upstreamStatus: 200, dropped: false });

    const token = await app.reporterToken();
    const mine = await api<{ items: PublicReport[] }>('/api/reports/mine', token);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]!.category.code).toBe('illegal_dumping');
  });
});

describe('resident app: refused reports are kept and shown', () => {
  it('surfaces a 409 (id already used for another report) and lets the person send it as a new report', async () => {
    // Another device already used the id this phone is about to generate.
    const takenId = '7d0f5c1e-2b8a-4c7e-9f3a-5e6d7c8b9a01';
    const other = new FormData();
    for (const [k, v] of Object.entries({
      category: 'pothole',
      lat: '47.7046',
      lon: '-2.6514',
      accuracy: '5',
      locationSource: 'gps',
      capturedAt: new Date().toISOString(),
    })) {
      other.append(k, v);
    }
    other.append('photos', new Blob([fs.readFileSync(SMALL)], { type: 'image/jpeg' }), 'a.jpg');
    const put = await fetch(`${server.url}/api/reports/${takenId}`, {
      method: 'PUT',
      headers: { 'X-Reporter-Token': 'another-device-'.padEnd(43, 'x') },
      body: other,
    });
    expect(put.status).toBe(201);

    const { app, context } = await phone();
    await context.addInitScript((id) => {
      const original = crypto.randomUUID.bind(crypto);
      let first = true;
      crypto.randomUUID = () => {
        if (!first) return original();
        first = false;
        return id as ReturnType<Crypto['randomUUID']>;
      };
    }, takenId);
    await app.open();
    await app.waitForPlaceAndCategories();
    await app.addPhotos([SMALL]);
    await app.chooseCategory('Nid-de-poule');
    await app.send();
    await expect.poll(() => app.savedPhase(), { timeout: 15_000 }).toBe('attention');
    await expect.poll(() => app.waitingBadge()).toBe('1 à vérifier');

    await app.openMyReports();
    await expect.poll(() => app.myReportItems().first().getAttribute('data-local')).toBe('conflict');
    await app.myReportItems().first().click();
    await expect
      .poll(() =>
        app.page.getByText('Un autre signalement utilise déjà cet identifiant', { exact: false }).count(),
      )
      .toBe(1);
    await app.expectAccessible('detail of a report refused with 409');
    await app.page.getByRole('button', { name: 'Envoyer comme nouveau signalement' }).click();
    await expect.poll(() => app.waitingBadge(), { timeout: 15_000 }).toBeNull();

    const token = await app.reporterToken();
    const mine = await api<{ items: PublicReport[] }>('/api/reports/mine', token);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]!.id).not.toBe(takenId);
  });
});

describe('resident app: updates', () => {
  it('offers "reload to update" for a new version instead of swapping the code under the person', async () => {
    const { app, context } = await phone();
    await app.open();
    await app.waitForOfflineReady(context);
    const before = await app.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    net.deployNewVersion('2');
    try {
      await app.page.reload();
      await expect
        .poll(() => app.page.getByTestId('update-prompt').isVisible(), { timeout: 20_000 })
        .toBe(true);
      await app.expectAccessible('update prompt');
      // Installed and waiting: the page still runs the old version until the person taps.
      const waiting = await app.page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return {
          waiting: reg?.waiting?.state ?? null,
          controller: navigator.serviceWorker.controller?.state ?? null,
        };
      });
      expect(waiting).toEqual({ waiting: 'installed', controller: 'activated' });

      const reloaded = app.page.waitForEvent('load');
      await app.page.getByRole('button', { name: 'Recharger' }).click();
      await reloaded;
      await expect.poll(() => app.page.getByTestId('update-prompt').count()).toBe(0);
      const after = await app.page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return { waiting: reg?.waiting ?? null, url: navigator.serviceWorker.controller?.scriptURL };
      });
      expect(after).toEqual({ waiting: null, url: before });
    } finally {
      net.deployNewVersion(null);
    }
  });
});
