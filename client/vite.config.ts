import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Absolute path of a file next to this config (no node: imports in client code, lint-enforced). */
const here = (p: string) => decodeURIComponent(new URL(p, import.meta.url).pathname);

/** Budget for the JavaScript needed to show the capture screen, gzipped bytes (issue 4). */
const CAPTURE_JS_BUDGET = 150 * 1024;

/** Output files only the staff page reaches: kept out of the residents' precache. */
const staffOnlyFiles = new Set<string>();

interface ChunkLike {
  type: 'chunk';
  name: string;
  isEntry: boolean;
  code: string;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}
type BundleLike = Record<string, ChunkLike | { type: 'asset'; source: string | Uint8Array }>;

function reachable(bundle: BundleLike, entry: string, lazy: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const item = bundle[file];
    if (!item || item.type !== 'chunk') return;
    for (const f of item.imports) visit(f);
    for (const f of item.viteMetadata?.importedCss ?? []) seen.add(f);
    if (!lazy) return;
    // Everything the page may load later: lazy chunks and referenced assets (the photo worker).
    for (const f of item.dynamicImports) visit(f);
    for (const f of item.viteMetadata?.importedAssets ?? []) seen.add(f);
  };
  visit(entry);
  return seen;
}

async function gzipSize(source: string | Uint8Array): Promise<number> {
  const stream = new Blob([source as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/**
 * Splits the build between the two pages: records the staff-only files (excluded from the
 * service worker's precache below) and prints the capture screen's JavaScript budget: the
 * resident entry and its static imports, gzipped (lazy chunks — map, My reports — excluded).
 */
function pagesAndBudget(): Plugin {
  return {
    name: 'vigie-pages-and-budget',
    apply: 'build',
    async generateBundle(_options, output) {
      const bundle = output as unknown as BundleLike;
      const entries = Object.entries(bundle).filter(
        (e): e is [string, ChunkLike] => e[1].type === 'chunk' && e[1].isEntry,
      );
      const main = entries.find(([, c]) => c.name === 'main')?.[0];
      const staff = entries.find(([, c]) => c.name === 'staff')?.[0];
      if (!main) return; // the service worker's own build
      const resident = reachable(bundle, main, true);
      staffOnlyFiles.clear();
      if (staff) for (const f of reachable(bundle, staff, true)) if (!resident.has(f)) staffOnlyFiles.add(f);

      const capture = [...reachable(bundle, main, false)].filter((f) => f.endsWith('.js'));
      let total = 0;
      for (const f of capture) {
        const item = bundle[f];
        if (item?.type === 'chunk') total += await gzipSize(item.code);
      }
      const verdict = total <= CAPTURE_JS_BUDGET ? 'within' : 'OVER';
      this.info(
        `capture screen JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${capture.length} file(s), ` +
          `${verdict} the ${CAPTURE_JS_BUDGET / 1024} KB budget`,
      );
      if (total > CAPTURE_JS_BUDGET) this.warn('capture screen JavaScript exceeds its budget');
    },
  };
}

export default defineConfig(({ command }) => {
  // A build is a production build, also when a test runner (NODE_ENV=test) starts it: otherwise
  // React ships its development build and the service worker is never registered.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    plugins: [
      react(),
      pagesAndBudget(),
      VitePWA({
        strategies: 'injectManifest',
        srcDir: 'src',
        filename: 'sw.ts',
        injectRegister: false,
        manifestFilename: 'manifest.webmanifest',
        manifest: {
          id: '/',
          name: 'Vigie — signaler un problème de voirie',
          short_name: 'Vigie',
          description:
            'Signalez un nid-de-poule, un lampadaire en panne ou un panneau tombé à votre commune, même sans réseau.',
          lang: 'fr',
          dir: 'ltr',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          orientation: 'portrait',
          theme_color: '#0b5394',
          background_color: '#f4f6f8',
          categories: ['utilities', 'government'],
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
            { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
            { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          ],
        },
        injectManifest: {
          rollupFormat: 'iife',
          // The web manifest and its icons are added by the plugin itself.
          globPatterns: ['**/*.{js,css,html}', 'icons/apple-touch-icon.png'],
          // The staff page and whatever only it loads are not the residents' business.
          globIgnores: ['staff/**', '.vite/**', 'sw.js'],
          manifestTransforms: [
            async (entries) => ({
              manifest: entries.filter((e) => !staffOnlyFiles.has(e.url)),
              warnings: [],
            }),
          ],
        },
        devOptions: { enabled: false },
      }),
    ],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: false,
      manifest: true,
      target: 'es2022',
      rollupOptions: {
        input: { main: here('./index.html'), staff: here('./staff/index.html') },
      },
    },
    worker: { format: 'es' },
    server: { proxy: { '/api': 'http://localhost:8080' } },
  };
});
