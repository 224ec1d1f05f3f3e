import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** End-to-end tests run against the built client, exactly as `npm start` serves it: build it once. */
export default function setup(): void {
  execFileSync('npm', ['run', 'build', '--workspace', 'client'], { cwd: ROOT, stdio: 'pipe' });
}
