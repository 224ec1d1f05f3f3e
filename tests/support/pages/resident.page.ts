import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** An axe-core violation, trimmed to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * The resident app as a person uses it, in French (the default): take or pick photos, choose
 * a category, send; read "My reports". Locators use roles and visible labels, like the person.
 */
export class ResidentApp {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** A phone context in the demo commune with the location permission granted. */
  static contextOptions(position: { latitude: number; longitude: number; accuracy?: number } | null) {
    return {
      locale: 'fr-FR',
      ...(position ? { geolocation: { accuracy: 10, ...position }, permissions: ['geolocation'] } : {}),
    };
  }

  async open(path = '/'): Promise<void> {
    await this.page.goto(new URL(path, this.baseUrl).toString());
    await expect
      .poll(() => this.page.getByRole('heading', { name: 'Signaler un problème' }).isVisible())
      .toBe(true);
  }

  /** Waits until the service worker controls the page (the shell is precached). */
  async waitForOfflineReady(context: BrowserContext, timeoutMs = 30_000): Promise<void> {
    const state = await this.page.evaluate(async (timeout) => {
      const controlled = new Promise<void>((resolve) => {
        if (navigator.serviceWorker.controller) resolve();
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
      });
      const ok = await Promise.race([
        navigator.serviceWorker.ready.then(() => controlled).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeout)),
      ]);
      const reg = await navigator.serviceWorker.getRegistration();
      return {
        ok,
        installing: reg?.installing?.state ?? null,
        waiting: reg?.waiting?.state ?? null,
        active: reg?.active?.state ?? null,
        controlled: navigator.serviceWorker.controller !== null,
      };
    }, timeoutMs);
    expect(state, 'service worker did not take control').toMatchObject({ ok: true, controlled: true });
    expect(context.serviceWorkers().length).toBeGreaterThan(0);
  }

  /** Adds photos with the camera button (`capture="environment"`) or from the gallery. */
  async addPhotos(files: string[], from: 'camera' | 'gallery' = 'camera'): Promise<void> {
    const before = await this.page.getByRole('img', { name: /^Photo \d$/ }).count();
    await this.page.getByTestId(from === 'camera' ? 'camera-input' : 'gallery-input').setInputFiles(files);
    await expect
      .poll(() => this.page.getByRole('img', { name: /^Photo \d$/ }).count(), { timeout: 30_000 })
      .toBe(before + files.length);
  }

  /** The location status line ("Position trouvée (± 10 m)", ...). */
  locationStatus() {
    return this.page.getByTestId('location-status');
  }

  /** Waits for an accepted GPS position and the commune's categories. */
  async waitForPlaceAndCategories(category = 'Nid-de-poule'): Promise<void> {
    await expect
      .poll(() => this.locationStatus().textContent(), { timeout: 20_000 })
      .toMatch(/Position trouvée|Repère placé/);
    await expect
      .poll(() => this.page.getByText(category, { exact: true }).count(), { timeout: 20_000 })
      .toBe(1);
  }

  async chooseCategory(label: string): Promise<void> {
    await this.page.getByText(label, { exact: true }).click();
    await expect.poll(() => this.page.getByRole('radio', { name: label }).isChecked()).toBe(true);
  }

  async describe(text: string): Promise<void> {
    await this.page.getByLabel('Description (facultatif)').fill(text);
  }

  /** Taps "Envoyer" and waits for the confirmation that the report is saved on the phone. */
  async send(): Promise<void> {
    await this.page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => this.savedPanel().isVisible(), { timeout: 15_000 }).toBe(true);
  }

  savedPanel() {
    return this.page.getByTestId('saved-panel');
  }

  /** Where the last saved report stands: sending, queued, attention or sent. */
  savedPhase(): Promise<string | null> {
    return this.savedPanel().getAttribute('data-phase');
  }

  async newReport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Nouveau signalement' }).click();
    await expect
      .poll(() => this.page.getByRole('heading', { name: 'Signaler un problème' }).isVisible())
      .toBe(true);
  }

  /** The "N en attente d'envoi" badge text, or null when nothing waits. */
  async waitingBadge(): Promise<string | null> {
    // The badge may vanish between two calls (the outbox emptied): never wait for it.
    const badge = this.page.getByTestId('outbox-badge');
    return badge.textContent({ timeout: 500 }).catch(() => null);
  }

  async openMyReports(): Promise<void> {
    await this.page
      .getByRole('navigation')
      .getByRole('link', { name: /Mes signalements/ })
      .click();
    await expect
      .poll(() => this.page.getByRole('heading', { name: 'Mes signalements' }).isVisible())
      .toBe(true);
  }

  myReportItems() {
    return this.page.getByTestId('mine-item');
  }

  /** The device's reporter token, as the app stored it. */
  reporterToken(): Promise<string> {
    return this.page.evaluate(() => localStorage.getItem('vigie.reporterToken') ?? '');
  }

  /** Runs axe-core on the page as it is now (the page's CSP stays on: axe is evaluated, not injected). */
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
