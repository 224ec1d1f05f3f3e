import fs from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { newToken } from '../support/fixtures';
import { reportFields, sendReport } from '../support/reports';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { call, createStaff, signIn, type TestUser } from '../support/staff';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server: ServerProcess;
let browser: Browser;
let pool: pg.Pool;
let commune: { id: number; slug: string; centroid: { lat: number; lon: number } };

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  const communes = (await (await fetch(`${server.url}/api/communes`)).json()) as Array<
    typeof commune & { name: string }
  >;
  commune = communes.find((c) => c.name === 'Saint-Nolff')!;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await pool?.end();
});

/** A point `north` and `east` metres from the commune's centroid. */
function offset(north: number, east: number) {
  const { lat, lon } = commune.centroid;
  return { lat: lat + north / 111_320, lon: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)) };
}

/** A 640 x 480 photo of bright noise: a redacted area shows as dark. */
const noisePhoto = () =>
  sharp({
    create: {
      width: 640,
      height: 480,
      channels: 3,
      background: { r: 200, g: 200, b: 200 },
      noise: { type: 'gaussian', mean: 190, sigma: 30 },
    },
  })
    .jpeg({ quality: 92 })
    .toBuffer();

async function newReport(at: { lat: number; lon: number }, description: string) {
  const token = newToken();
  const r = await sendReport(server.url, {
    token,
    fields: reportFields(at, { description }),
    files: [{ data: await noisePhoto() }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.id, token };
}

async function signInUi(page: Page, user: TestUser): Promise<void> {
  await page.goto(`${server.url}/staff/`);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('navigation', { name: 'Écrans' }).waitFor();
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

const reportRow = async (id: string) =>
  (
    await pool.query(
      `SELECT status, priority, duplicate_of, hidden, public_description, ST_Y(location::geometry) AS lat,
              ST_X(location::geometry) AS lon FROM reports WHERE id = $1`,
      [id],
    )
  ).rows[0] as {
    status: string;
    priority: string;
    duplicate_of: string | null;
    hidden: boolean;
    public_description: string | null;
    lat: number;
    lon: number;
  };

/** A JPEG fetched by the page itself (its session cookie), decoded to RGB. */
async function servedPixels(page: Page, url: string) {
  const bytes = await page.evaluate(async (u) => {
    const res = await fetch(u, { cache: 'no-cache' });
    return Array.from(new Uint8Array(await res.arrayBuffer()));
  }, url);
  const { data, info } = await sharp(Buffer.from(bytes))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return (x: number, y: number) => {
    const i = (y * info.width + x) * 3;
    return (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
  };
}

describe('the report page: actions and photo moderation (desktop)', () => {
  it('a supervisor triages, edits, merges, writes to the resident, moderates and redacts a photo', async () => {
    const supervisor = await createStaff(pool, [{ communeId: commune.id, role: 'supervisor' }]);
    const main = await newReport(offset(0, 0), 'Trou devant chez M. Le Goff');
    const dupA = await newReport(offset(15, 0), 'Même trou, vu du trottoir');
    const dupB = await newReport(offset(0, 15), 'Toujours ce trou');

    const context: BrowserContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      hasTouch: true,
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await signInUi(page, supervisor).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${server.output()}`);
    });
    await page.goto(`${server.url}/staff/reports/${main.id}`);
    const actions = page.getByTestId('report-actions');
    await actions.waitFor();
    // The report page's gallery shows the photo; the moderation tools are under it.
    const thumbnail = page.getByRole('img', { name: 'Photo 1 sur 1', exact: true });
    await thumbnail.waitFor();
    await page.getByTestId('photo-1').waitFor();
    await page.locator('.ra-map .vigie-pin').waitFor();
    expect(await axeViolations(page), 'report page as loaded').toEqual([]);

    // Status: only what the life cycle allows from "new".
    const next = page.getByLabel('Nouveau statut', { exact: true });
    expect(await next.locator('option').allTextContents()).toEqual([
      'Choisir…',
      'Pris en compte',
      'Planifié',
      'En cours',
      'Réparé',
      'Non réparable',
      'Doublon',
      'Rejeté',
    ]);
    await next.selectOption({ label: 'Rejeté' });
    await page.getByRole('button', { name: 'Changer le statut' }).click();
    await expect
      .poll(() => actions.getByRole('alert').allTextContents())
      .toContain('Indiquez le motif du rejet : l’habitant le lira.');
    await next.selectOption({ label: 'Pris en compte' });
    await page.getByRole('button', { name: 'Changer le statut' }).click();
    await page.getByText('Statut changé : Pris en compte.').waitFor();
    expect((await reportRow(main.id)).status).toBe('acknowledged');
    expect(await next.locator('option').allTextContents()).not.toContain('Pris en compte');

    // Category, priority and place: a priority, then the pin dragged on the map (no tiles here).
    await page.getByLabel('Priorité', { exact: true }).selectOption({ label: 'Danger' });
    const pin = page.locator('.ra-map .vigie-pin');
    await page.locator('.ra-map').scrollIntoViewIfNeeded();
    const box = (await pin.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height - 4 - 20, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('moved').waitFor();
    await page.getByLabel('Pourquoi (facultatif, interne)').fill('Le trou est un peu plus loin');
    await page.getByRole('button', { name: 'Enregistrer les corrections' }).click();
    await page.getByText('Corrections enregistrées.').waitFor();
    const moved = await reportRow(main.id);
    expect(moved.priority).toBe('danger');
    expect(moved.lon).toBeGreaterThan(offset(0, 0).lon);
    expect(moved.lat).toBeGreaterThan(offset(0, 0).lat);
    const edits = (
      await pool.query(
        `SELECT action, data FROM report_events WHERE report_id = $1 AND action LIKE '%_changed' ORDER BY id`,
        [main.id],
      )
    ).rows;
    expect(edits.map((e) => e.action)).toEqual(['status_changed', 'priority_changed', 'location_changed']);
    expect(edits[2].data).toMatchObject({ reason: 'Le trou est un peu plus loin' });

    // Typed coordinates outside the commune: the server says what to do.
    await page.getByLabel('Latitude', { exact: true }).fill('48.9');
    await page.getByLabel('Longitude', { exact: true }).fill('2.35');
    await page.getByRole('button', { name: 'Placer le repère' }).click();
    await page.getByRole('button', { name: 'Enregistrer les corrections' }).click();
    await page
      .getByText('Cet emplacement est hors de la commune : placez le repère à l’intérieur.')
      .waitFor();

    // Merge the two nearby reports into this one.
    const nearby = page.getByTestId('picker-nearby').last();
    await nearby.getByLabel(new RegExp(dupA.id.slice(0, 8))).check();
    await nearby.getByLabel(new RegExp(dupB.id.slice(0, 8))).check();
    await page.getByRole('button', { name: 'Fusionner 2 signalements dans celui-ci' }).click();
    await page.getByText('2 signalements fusionnés dans celui-ci.').waitFor();
    expect((await reportRow(dupA.id)).duplicate_of).toBe(main.id);
    expect((await reportRow(dupB.id)).duplicate_of).toBe(main.id);
    // Listed as its duplicates; one turns out not to be: reopened.
    const current = page.getByTestId('current-duplicates');
    await current.getByRole('link', { name: new RegExp(dupB.id.slice(0, 8)) }).waitFor();
    await page.getByRole('button', { name: `Rouvrir ${dupB.id.slice(0, 8)}` }).click();
    await page.getByText('Doublons rouverts.').waitFor();
    expect(await reportRow(dupB.id)).toMatchObject({ status: 'acknowledged', duplicate_of: null });
    expect(await current.getByRole('link', { name: new RegExp(dupB.id.slice(0, 8)) }).count()).toBe(0);

    // An internal note, then a message to the resident.
    await page.getByLabel('Note interne (agents seulement, jamais publiée)').check();
    await page.getByLabel('Texte', { exact: true }).fill('Prévoir la plaque vibrante');
    await page.getByRole('button', { name: 'Ajouter la note interne' }).click();
    await page.getByText('Note interne ajoutée.').waitFor();
    await page.getByLabel(/^Message à l’habitant/).check();
    await page.getByLabel('Texte', { exact: true }).fill('Réparation prévue jeudi.');
    await page.getByRole('button', { name: 'Envoyer à l’habitant' }).click();
    await page.getByText('Message envoyé à l’habitant.').waitFor();
    const own = (await (
      await fetch(`${server.url}/api/reports/${main.id}`, { headers: { 'X-Reporter-Token': main.token } })
    ).json()) as { history: Array<{ action: string; text: string | null }> };
    expect(own.history.filter((h) => h.action === 'public_update').map((h) => h.text)).toEqual([
      'Réparation prévue jeudi.',
    ]);
    expect(JSON.stringify(own)).not.toContain('plaque vibrante');

    // What the public sees: an edited text, then hidden and shown again.
    await page.getByLabel('Texte montré au public', { exact: true }).fill('Trou profond sur la chaussée');
    await page.getByRole('button', { name: 'Publier ce texte' }).click();
    await page.getByText('Texte public enregistré.').waitFor();
    expect((await reportRow(main.id)).public_description).toBe('Trou profond sur la chaussée');
    await page.getByRole('button', { name: 'Masquer au public', exact: true }).click();
    await page.getByText('Signalement masqué au public.').waitFor();
    expect((await fetch(`${server.url}/api/reports/${main.id}`)).status).toBe(404);
    await page.getByRole('button', { name: 'Rendre visible du public' }).click();
    await page.getByText('Signalement de nouveau visible du public.').waitFor();
    expect((await fetch(`${server.url}/api/reports/${main.id}`)).status).toBe(200);

    // The photo: approve it, then redact two areas, one with the mouse, one with a finger.
    const photo = page.getByTestId('photo-1');
    await photo.getByRole('button', { name: 'Approuver pour le public' }).click();
    await photo.getByText('Approuvée pour le public').waitFor();
    await photo.getByRole('button', { name: 'Masquer des zones…' }).click();
    const draw = page.getByTestId('draw-1');
    await draw.locator('img').waitFor();
    await draw.scrollIntoViewIfNeeded();
    const area = (await draw.boundingBox())!;
    // Mouse: from 10 % to 35 % of the photo.
    await page.mouse.move(area.x + area.width * 0.1, area.y + area.height * 0.1);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * 0.35, area.y + area.height * 0.35, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('zones-1').getByText('1 zone tracée').waitFor();
    // Finger: from 60 % to 90 %.
    const cdp = await context.newCDPSession(page);
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', fx?: number, fy?: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          fx === undefined ? [] : [{ x: area.x + area.width * fx, y: area.y + area.height * (fy ?? fx) }],
      });
    await touch('touchStart', 0.6);
    for (const f of [0.65, 0.7, 0.8, 0.9]) await touch('touchMove', f);
    await touch('touchEnd');
    await page.getByTestId('zones-1').getByText('2 zones tracées').waitFor();
    await page.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByRole('img', { name: 'Aperçu de la photo 1 avec les zones masquées' }).waitFor();
    expect(await axeViolations(page), 'redaction editor').toEqual([]);
    await page.getByRole('button', { name: 'Appliquer le masquage' }).click();
    await page.getByText('Zones masquées : c’est désormais la seule version montrée, à tous.').waitFor();
    await photo.getByText('Original conservé (administrateurs seulement)').waitFor();

    const row = (
      await pool.query('SELECT sha256, redacted_sha256, width, height FROM photos WHERE report_id = $1', [
        main.id,
      ])
    ).rows[0] as { sha256: string; redacted_sha256: string | null; width: number; height: number };
    expect(row.redacted_sha256).toMatch(/^[0-9a-f]{64}$/);
    const rects = (
      await pool.query(
        "SELECT data->'rectangles' AS r FROM audit_log WHERE action = 'photo_redacted' AND object_id = $1",
        [`${main.id}/1`],
      )
    ).rows[0].r as Array<{ x: number; y: number; width: number; height: number }>;
    expect(rects).toHaveLength(2);
    // Where the person drew: about 10-35 % and 60-90 % of the photo.
    expect(rects[0]!.x / row.width).toBeCloseTo(0.1, 1);
    expect((rects[0]!.x + rects[0]!.width) / row.width).toBeCloseTo(0.35, 1);
    expect(rects[1]!.y / row.height).toBeCloseTo(0.6, 1);
    const served = await servedPixels(page, `/api/reports/${main.id}/photos/1`);
    const centre = (r: { x: number; y: number; width: number; height: number }) =>
      served(Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2));
    expect(centre(rects[0]!)).toBeLessThan(60);
    expect(centre(rects[1]!)).toBeLessThan(60);
    expect(served(Math.round(row.width / 2), Math.round(row.height / 2 - row.height * 0.02))).toBeGreaterThan(
      120,
    );
    // The page's thumbnail shows the redacted rendition now (its address changed with it).
    await expect
      .poll(() =>
        thumbnail.evaluate(
          (img: HTMLImageElement, p) => {
            const c = document.createElement('canvas');
            c.width = img.naturalWidth;
            c.height = img.naturalHeight;
            const ctx = c.getContext('2d')!;
            ctx.drawImage(img, 0, 0);
            const x = Math.round(p.x * img.naturalWidth);
            const y = Math.round(p.y * img.naturalHeight);
            const d = ctx.getImageData(x, y, 1, 1).data;
            return (d[0]! + d[1]! + d[2]!) / 3;
          },
          {
            x: (rects[0]!.x + rects[0]!.width / 2) / row.width,
            y: (rects[0]!.y + rects[0]!.height / 2) / row.height,
          },
        ),
      )
      .toBeLessThan(60);

    // Deleting the kept original (after a confirmation).
    await photo.getByRole('button', { name: 'Supprimer l’original' }).click();
    await page.getByText('Original supprimé.').waitFor();
    const after = (
      await pool.query('SELECT sha256, redacted_sha256 FROM photos WHERE report_id = $1', [main.id])
    ).rows[0] as { sha256: string; redacted_sha256: string };
    expect(after.sha256).toBe(after.redacted_sha256);
    expect(fs.existsSync(`${server.uploadsDir}/${row.sha256.slice(0, 2)}/${row.sha256}.jpg`)).toBe(false);

    // Fixed, the report is closed: its place cannot be edited until it is reopened.
    await next.selectOption({ label: 'Réparé' });
    await page.getByRole('button', { name: 'Changer le statut' }).click();
    await page.getByText('Statut changé : Réparé.').waitFor();
    await page
      .getByText(
        'Ce signalement est clos (Réparé) : rouvrez-le pour changer sa catégorie, sa priorité ou son emplacement.',
      )
      .waitFor();
    expect(await page.getByRole('button', { name: 'Enregistrer les corrections' }).isDisabled()).toBe(true);
    expect(await next.locator('option').allTextContents()).toEqual(['Choisir…', 'Pris en compte']);
    expect(await axeViolations(page), 'report page after the changes').toEqual([]);

    // A duplicate's page points at the report kept.
    await page.goto(`${server.url}/staff/reports/${dupA.id}`);
    await page.getByText(`Doublon du signalement ${main.id.slice(0, 8)}.`).waitFor();
    await page.getByRole('link', { name: 'Ouvrir le signalement conservé' }).click();
    await page.getByText('Statut actuel : Réparé').waitFor();
    await context.close();
  });

  it('shows an admin notes and the kept original of a redacted photo, and no triage or moderation', async () => {
    const admin = await createStaff(pool, [{ communeId: commune.id, role: 'admin' }]);
    const supervisor = await createStaff(pool, [{ communeId: commune.id, role: 'supervisor' }]);
    const r = await newReport(offset(-300, 200), 'Lampadaire éteint');
    const supCookie = await signIn(server.url, supervisor);
    const redacted = await call(server.url, `/api/staff/reports/${r.id}/photos/1/redaction`, {
      method: 'POST',
      cookie: supCookie,
      json: { rectangles: [{ x: 0, y: 0, width: 200, height: 200 }], original: 'keep' },
    });
    expect(redacted.status).toBe(200);
    const { sha256 } = (await pool.query('SELECT sha256 FROM photos WHERE report_id = $1', [r.id]))
      .rows[0] as {
      sha256: string;
    };

    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await signInUi(page, admin);
    await page.goto(`${server.url}/staff/reports/${r.id}`);
    await page.getByTestId('report-actions').waitFor();
    await page.getByTestId('photo-1').waitFor();
    expect(await page.getByLabel('Nouveau statut', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Enregistrer les corrections' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Masquer des zones…' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Ce que voit le public' }).count()).toBe(0);
    const link = page.getByRole('link', { name: 'Voir l’original (administrateurs)' });
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/reports/${r.id}/photos/1?original=1`);
    const originalSha = await page.evaluate(async (u) => {
      const bytes = await (await fetch(u)).arrayBuffer();
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    }, href);
    expect(originalSha).toBe(sha256);

    await page.getByLabel('Note interne (agents seulement, jamais publiée)').fill('Demande RGPD traitée');
    await page.getByRole('button', { name: 'Ajouter la note interne' }).click();
    await page.getByText('Note interne ajoutée.').waitFor();
    expect(await axeViolations(page), 'admin view of a report').toEqual([]);
    await context.close();
  });

  it("shows the resident, in “my reports”, the town hall's message, the reason, the published text and that it is hidden", async () => {
    const supervisor = await createStaff(pool, [{ communeId: commune.id, role: 'supervisor' }]);
    const r = await newReport(offset(250, -250), 'Trou devant chez M. Le Goff');
    const cookie = await signIn(server.url, supervisor);
    const staffCall = async (path: string, method: string, json: unknown) => {
      const res = await call(server.url, `/api/staff/reports/${r.id}${path}`, { method, cookie, json });
      expect(res.status, res.text).toBeLessThan(300);
    };
    await staffCall('/notes', 'POST', { text: 'Riverain pénible' });
    await staffCall('/updates', 'POST', { text: 'Nous passons jeudi matin.' });
    await staffCall('/moderation', 'PATCH', { publicDescription: 'Trou sur la chaussée', hidden: true });
    await staffCall('/status', 'POST', { status: 'rejected', reason: 'Voie privée : voyez le syndic.' });

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
    });
    await context.addInitScript((token) => localStorage.setItem('vigie.reporterToken', token), r.token);
    const page = await context.newPage();
    await page.goto(`${server.url}/#/mine/${r.id}`);
    await page.getByTestId('detail-public-text').waitFor();
    expect(await page.getByTestId('detail-public-text').textContent()).toBe('Trou sur la chaussée');
    await page.getByText('Trou devant chez M. Le Goff').waitFor();
    await page.getByTestId('detail-hidden').waitFor();
    expect(await page.getByTestId('detail-reason').textContent()).toContain('Voie privée : voyez le syndic.');
    const history = page.locator('ol.history');
    expect(await history.locator('li[data-kind="update"]').textContent()).toContain(
      'Nous passons jeudi matin.',
    );
    expect(await history.locator('li[data-kind="status"]').last().textContent()).toContain(
      'Motif : Voie privée : voyez le syndic.',
    );
    expect(await page.content()).not.toContain('Riverain pénible');
    expect(await axeViolations(page), 'resident report detail').toEqual([]);
    await context.close();
  });
});
