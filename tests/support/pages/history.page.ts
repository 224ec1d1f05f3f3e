import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AxeViolation } from './resident.page';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Web Mercator pixel of a point at a zoom (256 px tiles), as Leaflet projects it. */
function worldPixel(lat: number, lon: number, zoom: number): { x: number; y: number } {
  const size = 256 * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return {
    x: ((lon + 180) / 360) * size,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size,
  };
}

/**
 * The town hall's history screen and report page as a supervisor uses them, in French by
 * default. Locators use roles and visible labels.
 */
export class HistoryPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Signs in through the staff sign-in form. */
  async signIn(user: { email: string; password: string }): Promise<void> {
    await this.page.goto(`${this.baseUrl}/staff/`);
    await this.page.getByLabel('Adresse e-mail').fill(user.email);
    await this.page.getByLabel('Mot de passe', { exact: true }).fill(user.password);
    await this.page.getByRole('button', { name: 'Se connecter' }).click();
  }

  /** The rows of the list (links to report pages). */
  rows(): Locator {
    return this.page.locator('.hs-rows a.hs-row');
  }

  /** The ids of the rows shown. */
  async rowIds(): Promise<string[]> {
    return this.rows().evaluateAll((links) => links.map((a) => a.getAttribute('data-id') ?? ''));
  }

  /** Waits until the list has finished loading (rows, or the empty message). */
  async listLoaded(): Promise<void> {
    await this.page.locator('.hs-list[aria-busy="false"]').waitFor();
  }

  /** The count shown above the list, e.g. "43 signalements". */
  countText(): Promise<string | null> {
    return this.page.locator('.hs-count').textContent();
  }

  /** The map's summary under it, e.g. "43 signalements dans cette vue." */
  mapStatus(): Promise<string | null> {
    return this.page.locator('.hs-map-status').textContent();
  }

  /** The query parameters of the page's address. */
  query(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  /** Ticks a choice of one of the multi-selects (Statut, Catégorie, Priorité). */
  async tick(select: string, choice: string): Promise<void> {
    const details = this.page.locator('details.hs-multi', { hasText: select });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
      await details.locator('summary').click();
    await details.getByRole('checkbox', { name: choice, exact: true }).check();
    await this.page.keyboard.press('Escape');
  }

  /** The page's pixel of a point on the map, the map showing `view` (its centre is the view's). */
  async mapPixel(view: { lat: number; lon: number; zoom: number }, p: { lat: number; lon: number }) {
    const box = (await this.page.locator('.hs-map').boundingBox())!;
    const c = worldPixel(view.lat, view.lon, view.zoom);
    const q = worldPixel(p.lat, p.lon, view.zoom);
    return { x: box.x + box.width / 2 + (q.x - c.x), y: box.y + box.height / 2 + (q.y - c.y) };
  }

  /** Runs axe-core on the page as it is now. */
  async accessibilityViolations(): Promise<AxeViolation[]> {
    await this.page.evaluate(AXE_SOURCE);
    return this.page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(ctx: Document): Promise<{
              violations: {
                id: string;
                impact: string | null;
                help: string;
                nodes: { target: unknown[] }[];
              }[];
            }>;
          };
        }
      ).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => JSON.stringify(n.target)),
      }));
    });
  }

  /** Asserts axe-core finds nothing, with a readable failure. */
  async expectAccessible(screen: string): Promise<void> {
    const violations = await this.accessibilityViolations();
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }
}
