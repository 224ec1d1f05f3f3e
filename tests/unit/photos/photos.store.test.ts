import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProcessedPhoto } from '../../../server/src/photos/photos.processing';
import { isPhotoSha, PhotoStore } from '../../../server/src/photos/photos.store';
import { appErrorOf } from './helpers';

const MINUTE = 60_000;
const T0 = Date.parse('2025-03-01T08:00:00Z');

/** A stand-in for processPhoto's output: the store only cares about bytes and their sha. */
function photo(label: string): ProcessedPhoto {
  const jpeg = Buffer.from(`full:${label}`);
  return {
    sha256: createHash('sha256').update(jpeg).digest('hex'),
    width: 1,
    height: 1,
    bytes: jpeg.length,
    jpeg,
    thumb: Buffer.from(`thumb:${label}`),
    thumbWidth: 1,
    thumbHeight: 1,
  };
}

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe('PhotoStore', () => {
  let root: string;
  let now: number;
  let store: PhotoStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vigie-photos-'));
    now = T0;
    store = new PhotoStore(root, () => now);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('put', () => {
    it('writes the photo and its thumbnail under <root>/<sha[0..2]>/', async () => {
      const p = photo('a');
      await store.put(p);

      const full = store.path(p.sha256, 'full');
      const thumb = store.path(p.sha256, 'thumb');
      expect(full).toBe(path.join(root, p.sha256.slice(0, 2), `${p.sha256}.jpg`));
      expect(thumb).toBe(path.join(root, p.sha256.slice(0, 2), `${p.sha256}.thumb.jpg`));
      expect(await readFile(full)).toEqual(p.jpeg);
      expect(await readFile(thumb)).toEqual(p.thumb);
      expect(await store.exists(p.sha256)).toBe(true);
    });

    it('leaves nothing behind in tmp/ after a successful write', async () => {
      await store.put(photo('a'));
      expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    });

    it('stamps files with the injected clock, which the sweep compares against', async () => {
      const p = photo('a');
      await store.put(p);
      expect((await stat(store.path(p.sha256, 'full'))).mtimeMs).toBe(T0);
      expect((await stat(store.path(p.sha256, 'thumb'))).mtimeMs).toBe(T0);
    });

    it('is idempotent: a second put of the same photo keeps the file and succeeds', async () => {
      const p = photo('a');
      await store.put(p);
      await store.put(p);
      expect(await readFile(store.path(p.sha256, 'full'))).toEqual(p.jpeg);
      expect(await readdir(path.join(root, p.sha256.slice(0, 2)))).toHaveLength(2);
      expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    });

    it('refreshes the mtime of a file it reuses, so a sweep cannot take it from a request in flight', async () => {
      const p = photo('a');
      await store.put(p);
      now = T0 + 60 * MINUTE;
      await store.put(p);
      expect((await stat(store.path(p.sha256, 'full'))).mtimeMs).toBe(now);

      const referenced = vi.fn(async () => new Set<string>());
      const result = await store.sweepOrphans(referenced, 10 * MINUTE);
      expect(result.removed).toBe(0);
      expect(await store.exists(p.sha256)).toBe(true);
    });

    it('writes a missing thumbnail even when the full photo is already there', async () => {
      const p = photo('a');
      await store.put(p);
      await rm(store.path(p.sha256, 'thumb'));
      await store.put(p);
      expect(await readFile(store.path(p.sha256, 'thumb'))).toEqual(p.thumb);
    });

    it('handles concurrent puts of the same photo', async () => {
      const p = photo('a');
      await Promise.all([store.put(p), store.put(p), store.put(p)]);
      expect(await readFile(store.path(p.sha256, 'full'))).toEqual(p.jpeg);
      expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    });
  });

  describe('exists and remove', () => {
    it('reports a missing photo as absent', async () => {
      expect(await store.exists(photo('never stored').sha256)).toBe(false);
    });

    it('removes the photo and its thumbnail, and a second remove is harmless', async () => {
      const p = photo('a');
      await store.put(p);
      await store.remove(p.sha256);
      expect(await store.exists(p.sha256)).toBe(false);
      expect(await fileExists(store.path(p.sha256, 'thumb'))).toBe(false);
      await expect(store.remove(p.sha256)).resolves.toBeUndefined();
    });
  });

  describe('sha validation', () => {
    const bad = [
      '../../../../etc/passwd',
      `${'a'.repeat(62)}/.`,
      'A'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `${'a'.repeat(63)}\0`,
      '',
    ];

    it.each(bad)('refuses %j in path() with a 400 AppError', async (sha) => {
      const err = await appErrorOf(async () => store.path(sha, 'full'));
      expect(err.status).toBe(400);
      expect(isPhotoSha(sha)).toBe(false);
    });

    it('refuses a bad sha in put, exists and remove, and writes nothing', async () => {
      const p = { ...photo('a'), sha256: '../escape' };
      expect((await appErrorOf(() => store.put(p))).status).toBe(400);
      expect((await appErrorOf(() => store.exists('../escape'))).status).toBe(400);
      expect((await appErrorOf(() => store.remove('../escape'))).status).toBe(400);
      expect(await readdir(root)).toEqual([]);
      expect(await readdir(path.dirname(root))).not.toContain('escape.jpg');
    });

    it('accepts a well-formed sha', () => {
      const sha = photo('a').sha256;
      expect(isPhotoSha(sha)).toBe(true);
      expect(() => store.path(sha, 'thumb')).not.toThrow();
    });
  });

  describe('sweepOrphans', () => {
    it('removes old unreferenced photos, keeps referenced ones and recent ones', async () => {
      const kept = photo('referenced');
      const orphan = photo('orphan');
      const recent = photo('recent, row not committed yet');
      await store.put(kept);
      await store.put(orphan);
      now = T0 + 25 * MINUTE;
      await store.put(recent);
      now = T0 + 30 * MINUTE;

      const asked: string[][] = [];
      const result = await store.sweepOrphans(async (shas) => {
        asked.push([...shas]);
        return new Set(shas.filter((s) => s === kept.sha256));
      }, 10 * MINUTE);

      expect(result).toEqual({ removed: 2, tmpRemoved: 0 });
      expect(await store.exists(kept.sha256)).toBe(true);
      expect(await fileExists(store.path(kept.sha256, 'thumb'))).toBe(true);
      expect(await store.exists(orphan.sha256)).toBe(false);
      expect(await fileExists(store.path(orphan.sha256, 'thumb'))).toBe(false);
      expect(await store.exists(recent.sha256)).toBe(true);
      // The young photo is not even asked about; each sha is asked once.
      expect(asked.flat().sort()).toEqual([kept.sha256, orphan.sha256].sort());
    });

    it('keeps both files of a photo when either of them was touched recently', async () => {
      const p = photo('half refreshed');
      await store.put(p);
      now = T0 + 60 * MINUTE;
      await utimes(store.path(p.sha256, 'thumb'), new Date(now), new Date(now));

      const result = await store.sweepOrphans(async () => new Set(), 10 * MINUTE);
      expect(result.removed).toBe(0);
      expect(await store.exists(p.sha256)).toBe(true);
      expect(await fileExists(store.path(p.sha256, 'thumb'))).toBe(true);
    });

    it('uses 10 minutes as the default minimum age', async () => {
      const p = photo('orphan');
      await store.put(p);
      now = T0 + 9 * MINUTE;
      expect((await store.sweepOrphans(async () => new Set())).removed).toBe(0);
      now = T0 + 11 * MINUTE;
      expect((await store.sweepOrphans(async () => new Set())).removed).toBe(2);
    });

    it('judges age by file mtime (files written by another instance, or before a restart)', async () => {
      const p = photo('orphan');
      await store.put(p);
      const realStore = new PhotoStore(root); // real clock
      const old = new Date(Date.now() - 60 * MINUTE);
      await utimes(store.path(p.sha256, 'full'), old, old);
      await utimes(store.path(p.sha256, 'thumb'), old, old);
      expect(await realStore.sweepOrphans(async () => new Set())).toEqual({ removed: 2, tmpRemoved: 0 });
    });

    it('removes temp files left by interrupted writes, but not ones being written', async () => {
      const tmp = path.join(root, 'tmp');
      await mkdir(tmp, { recursive: true });
      const stale = path.join(tmp, 'crashed.jpg.123.tmp');
      const live = path.join(tmp, 'writing.jpg.456.tmp');
      await writeFile(stale, 'half a photo');
      await writeFile(live, 'being written');
      await utimes(stale, new Date(T0 - 60 * MINUTE), new Date(T0 - 60 * MINUTE));
      await utimes(live, new Date(T0), new Date(T0));

      const result = await store.sweepOrphans(async () => new Set(), 10 * MINUTE);
      expect(result).toEqual({ removed: 0, tmpRemoved: 1 });
      expect(await fileExists(stale)).toBe(false);
      expect(await fileExists(live)).toBe(true);
    });

    it('leaves files that are not photos alone', async () => {
      const shard = path.join(root, 'ab');
      await mkdir(shard, { recursive: true });
      const stray = [
        path.join(root, 'README'),
        path.join(shard, 'notes.txt'),
        path.join(shard, `${'c'.repeat(64)}.jpg`),
      ];
      for (const file of stray) {
        await writeFile(file, 'x');
        await utimes(file, new Date(T0 - 60 * MINUTE), new Date(T0 - 60 * MINUTE));
      }
      const referenced = vi.fn(async () => new Set<string>());
      expect(await store.sweepOrphans(referenced, 10 * MINUTE)).toEqual({ removed: 0, tmpRemoved: 0 });
      expect(referenced).not.toHaveBeenCalled();
      for (const file of stray) expect(await fileExists(file)).toBe(true);
    });

    it('asks the database in bounded batches', async () => {
      // Written directly: 1,100 fsynced puts would make this test slow without testing more.
      const old = new Date(T0 - 60 * MINUTE);
      for (let i = 0; i < 1_100; i++) {
        const sha = photo(`p${i}`).sha256;
        const file = path.join(root, sha.slice(0, 2), `${sha}.jpg`);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, 'x');
        await utimes(file, old, old);
      }

      const sizes: number[] = [];
      const result = await store.sweepOrphans(async (shas) => {
        sizes.push(shas.length);
        return new Set(shas);
      }, 10 * MINUTE);
      expect(result.removed).toBe(0);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_100);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
      expect(sizes.length).toBeGreaterThanOrEqual(3);
    });

    it('works on an empty or not yet created root', async () => {
      const fresh = new PhotoStore(path.join(root, 'not-yet'), () => now);
      expect(await fresh.sweepOrphans(async () => new Set())).toEqual({ removed: 0, tmpRemoved: 0 });
    });
  });
});
