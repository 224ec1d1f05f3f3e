import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, PHONE } from '../support/browser';
import { PHOTOS_DIR } from '../support/fixtures';
import { PhoneNetwork } from '../support/pages/phone-network';
import { ResidentApp } from '../support/pages/resident.page';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The resident app's budgets (issue 4), measured on the production build and in Chromium.
 * `npm run bench:client` runs this file alone and prints the figures.
 */

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');
const CAPTURE_JS_BUDGET = 150 * 1024;
const REPORT_BYTES_BUDGET = 500 * 1000;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

/**
 * Files of the resident page: with `lazy` false, those loaded before the capture screen shows
 * (the entry and its static imports); with `lazy` true, everything it may load later too.
 */
function residentFiles(
  manifest: Record<string, ManifestChunk>,
  lazy: boolean,
): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || js.has(chunk.file)) return;
    js.add(chunk.file);
    chunk.css?.forEach((c) => css.add(c));
    chunk.imports?.forEach(visit);
    if (lazy) chunk.dynamicImports?.forEach(visit);
  };
  visit('index.html');
  return { js: [...js], css: [...css] };
}

const gzipped = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('resident app budgets', () => {
  it('ships at most 150 KB of gzipped JavaScript before the capture screen shows', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      ManifestChunk
    >;
    const { js, css } = residentFiles(manifest, false);
    const jsBytes = js.reduce((sum, f) => sum + gzipped(f), 0);
    const cssBytes = css.reduce((sum, f) => sum + gzipped(f), 0);
    const lazy = residentFiles(manifest, true)
      .js.filter((f) => !js.includes(f))
      .map((f) => `${path.basename(f)} ${kb(gzipped(f))}`);
    console.log(
      `capture screen: ${kb(jsBytes)} of gzipped JavaScript in ${js.length} files (budget ${kb(CAPTURE_JS_BUDGET)}), ` +
        `${kb(cssBytes)} of CSS; loaded later: ${lazy.join(', ')}`,
    );
    // The map (Leaflet), My reports, EXIF reading and the contract's validation are lazy.
    expect(js.some((f) => /LocationMap|MyReportsScreen|ReportDetail|lite\.esm/.test(f))).toBe(false);
    expect(jsBytes).toBeLessThanOrEqual(CAPTURE_JS_BUDGET);
  });

  it('precaches the resident app shell for offline use, and nothing of the staff screens', () => {
    const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
    const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    expect(precached).toContain('index.html');
    expect(precached).toContain('manifest.webmanifest');
    expect(precached.some((u) => /assets\/LocationMap-.*\.js$/.test(u))).toBe(true); // the lazy map works offline
    expect(precached.some((u) => /photo\.worker-.*\.js$/.test(u))).toBe(true);
    expect(precached.filter((u) => u.includes('staff'))).toEqual([]);
    const staffEntry = fs.readFileSync(path.join(DIST, 'staff/index.html'), 'utf8');
    const staffScript = /src="\/(assets\/[^"]+\.js)"/.exec(staffEntry)?.[1];
    expect(staffScript).toBeDefined();
    expect(precached).not.toContain(staffScript);
  });

  describe('bytes uploaded per report', () => {
    let server: ServerProcess;
    let net: PhoneNetwork;
    let browser: Browser;
    beforeAll(async () => {
      server = await startServerProcess({ databaseUrl: inject('databaseUrl') });
      net = await PhoneNetwork.start(server.url);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await net?.close();
      await server?.stop();
    });

    it('uploads at most 500 KB for a report with one 12 MP phone photo (Pixel, 4048x3036, 4 MB)', async () => {
      const original = path.join(PHOTOS_DIR, 'IMG_20180725_163423.jpg');
      const context = await browser.newContext({
        ...PHONE,
        ...ResidentApp.contextOptions({ latitude: 47.7046, longitude: -2.6514 }),
      });
      const app = new ResidentApp(await context.newPage(), net.url);
      await app.open();
      await app.waitForPlaceAndCategories();
      const started = Date.now();
      await app.addPhotos([original]);
      const processingMs = Date.now() - started;
      await app.chooseCategory('Nid-de-poule');
      await app.send();
      await expect.poll(() => app.savedPhase(), { timeout: 20_000 }).toBe('sent');
      const [upload] = net.puts();
      await context.close();

      expect(upload?.upstreamStatus).toBe(201);
      console.log(
        `bytes per report: ${upload!.bodyBytes} (${kb(upload!.bodyBytes)}) uploaded for one ` +
          `${(fs.statSync(original).size / 1e6).toFixed(1)} MB 12 MP photo (budget ${REPORT_BYTES_BUDGET} bytes); ` +
          `photo ready in ${processingMs} ms in headless Chromium`,
      );
      expect(upload!.bodyBytes).toBeLessThanOrEqual(REPORT_BYTES_BUDGET);
    });
  });
});
