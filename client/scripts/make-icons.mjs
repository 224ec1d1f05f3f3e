// Generates the PWA's PNG icons from public/icons/icon.svg (run once after changing the SVG;
// the PNGs are committed): `node client/scripts/make-icons.mjs`. Uses the server's sharp.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'));
// Maskable: full-bleed background, the drawing inside the 80 % safe zone (launchers crop to circles, squircles...).
const maskable = Buffer.from(
  svg
    .toString()
    .replace('rx="112"', 'rx="0"')
    .replace('<path d="M256 84', '<g transform="translate(51.2 51.2) scale(0.8)"><path d="M256 84')
    .replace('</svg>', '</g></svg>'),
);

const outputs = [
  { file: 'icon-192.png', src: svg, size: 192 },
  { file: 'icon-512.png', src: svg, size: 512 },
  { file: 'maskable-192.png', src: maskable, size: 192 },
  { file: 'maskable-512.png', src: maskable, size: 512 },
  { file: 'apple-touch-icon.png', src: maskable, size: 180 },
];
for (const o of outputs) {
  await sharp(o.src, { density: 300 })
    .resize(o.size, o.size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(dir, o.file));
  console.log(o.file, fs.statSync(path.join(dir, o.file)).size, 'bytes');
}
