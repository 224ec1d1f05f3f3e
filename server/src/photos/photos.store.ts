import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  utimes,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors';
import type { ProcessedPhoto } from './photos.processing';

/** Which rendition of a photo: the stored photo or its list/map thumbnail. */
export type PhotoSize = 'full' | 'thumb';

const SHA_RE = /^[0-9a-f]{64}$/;
const SHARD_RE = /^[0-9a-f]{2}$/;
const FILE_RE = /^([0-9a-f]{64})(\.thumb)?\.jpg$/;
const TMP_DIR = 'tmp';
/** Shas asked about per call of the `referenced` callback: one bounded `= ANY($1)` query each. */
const SWEEP_BATCH = 500;

/**
 * True for a well-formed photo id (64 lower-case hex). Lets a route refuse a malformed id
 * before it looks anything up, and is the gate in front of every path this store builds.
 */
export function isPhotoSha(value: string): boolean {
  return SHA_RE.test(value);
}

function assertSha(sha: string): void {
  // Anything else could carry "../" or a NUL byte into a filesystem path.
  if (!SHA_RE.test(sha)) throw ValidationError('Invalid photo id.', 'sha256', 'invalid_photo_id');
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && 'code' in err && codes.includes(String(err.code));
}

/** Result of a sweep, for the job's log line. */
export interface SweepResult {
  /** Photo files (full or thumbnail) deleted because no report references their sha. */
  removed: number;
  /** Temp files deleted, left behind by writes that crashed or were killed. */
  tmpRemoved: number;
}

/**
 * The only code that touches `uploads/`. Files are content-addressed
 * (`<root>/<sha[0..2]>/<sha>.jpg` and `<sha>.thumb.jpg`), so a retried upload rewrites nothing
 * and two instances writing the same photo agree. Every write goes through a temp file in
 * `<root>/tmp/` (same filesystem), fsync, atomic rename and a directory fsync: after a crash a
 * photo is either complete or absent, never truncated. The database row is written after the
 * file; a file whose row never came is an orphan that `sweepOrphans` collects later.
 * The clock is injectable so sweeps are testable; it also stamps the files' mtimes, which the
 * sweep compares against it.
 */
export class PhotoStore {
  private readonly root: string;
  private readonly tmpDir: string;

  constructor(
    root: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, TMP_DIR);
  }

  /**
   * Absolute path of a photo file, for the route that streams it after authorising the
   * caller (photos are never served by a static file server). Throws a 400 AppError for a
   * malformed sha, so no caller can build a path outside the store.
   */
  path(sha: string, size: PhotoSize): string {
    assertSha(sha);
    return path.join(this.root, sha.slice(0, 2), size === 'thumb' ? `${sha}.thumb.jpg` : `${sha}.jpg`);
  }

  /**
   * Stores the photo and its thumbnail. Idempotent: an existing file is kept (same sha, same
   * bytes) but its mtime is refreshed, so a concurrent sweep cannot delete a file that a
   * request in flight is about to reference. The thumbnail is renamed into place first, so
   * "full exists" implies "thumbnail exists"; both are durable when this resolves.
   */
  async put(p: ProcessedPhoto): Promise<void> {
    assertSha(p.sha256);
    const thumb = this.path(p.sha256, 'thumb');
    const full = this.path(p.sha256, 'full');
    // Both temp files are written and fsync'd at the same time (one disk flush's wait, not
    // two), then renamed thumbnail first, and the shared directory is fsync'd once.
    const [thumbTmp, fullTmp] = await Promise.all([this.stage(thumb, p.thumb), this.stage(full, p.jpeg)]);
    try {
      if (thumbTmp) await rename(thumbTmp, thumb);
      if (fullTmp) await rename(fullTmp, full);
    } catch (err) {
      await Promise.all([thumbTmp, fullTmp].map((t) => t && unlinkIfPresent(t)));
      throw err;
    }
    if (thumbTmp || fullTmp) await fsyncDir(path.dirname(full));
  }

  /**
   * The bytes of a stored photo (moderation redacts from them). Undefined when the file is
   * missing, so the caller answers like for a missing photo.
   */
  async read(sha: string, size: PhotoSize = 'full'): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(sha, size));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  /** Whether the stored photo is on disk (used by consistency checks and the photo route). */
  async exists(sha: string): Promise<boolean> {
    try {
      return (await stat(this.path(sha, 'full'))).isFile();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /**
   * Deletes a photo and its thumbnail (retention, moderation). Already missing is fine: a
   * retried deletion must not fail. Call it after the row is gone; the reverse order could
   * leave a row pointing at nothing.
   */
  async remove(sha: string): Promise<void> {
    await unlinkIfPresent(this.path(sha, 'full'));
    await unlinkIfPresent(this.path(sha, 'thumb'));
  }

  /**
   * Deletes photo files no report references (the process died between writing the file and
   * committing the row, or the row was deleted) and temp files left by interrupted writes.
   * Only files older than `minAgeMs` are considered, so a photo written by a request still in
   * flight on any instance (file written, row not yet committed) is never swept; `put` also
   * refreshes the mtime of a file it reuses. `referenced` answers, for a batch of shas, which
   * ones the database still references (one query per batch, never one per file).
   */
  async sweepOrphans(
    referenced: (shas: string[]) => Promise<Set<string>>,
    minAgeMs = 10 * 60_000,
  ): Promise<SweepResult> {
    const cutoff = this.clock() - minAgeMs;
    let removed = 0;
    let tmpRemoved = 0;

    for (const name of await readdirIfPresent(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      if (await isOldFile(file, cutoff)) {
        if (await unlinkIfPresent(file)) tmpRemoved++;
      }
    }

    // sha -> its old files. Young files are left out, and so is a sha whose other file is young.
    const candidates = new Map<string, string[]>();
    const young = new Set<string>();
    for (const shard of await readdirIfPresent(this.root)) {
      if (!SHARD_RE.test(shard)) continue;
      const dir = path.join(this.root, shard);
      for (const name of await readdirIfPresent(dir)) {
        const match = FILE_RE.exec(name);
        const sha = match?.[1];
        if (!sha || !sha.startsWith(shard)) continue;
        const file = path.join(dir, name);
        if (await isOldFile(file, cutoff)) {
          const files = candidates.get(sha) ?? [];
          files.push(file);
          candidates.set(sha, files);
        } else {
          young.add(sha);
        }
      }
    }
    for (const sha of young) candidates.delete(sha);

    const shas = [...candidates.keys()];
    for (let i = 0; i < shas.length; i += SWEEP_BATCH) {
      const batch = shas.slice(i, i + SWEEP_BATCH);
      const keep = await referenced(batch);
      for (const sha of batch) {
        if (keep.has(sha)) continue;
        for (const file of candidates.get(sha) ?? []) {
          // Re-check just before deleting: a `put` may have reused this file since the listing.
          if (!(await isOldFile(file, cutoff))) continue;
          if (await unlinkIfPresent(file)) removed++;
        }
      }
    }
    return { removed, tmpRemoved };
  }

  /**
   * Prepares `target`: when it already exists (same sha, same bytes) only refreshes its mtime
   * and returns undefined; otherwise writes `data` to a durable temp file in the same
   * filesystem and returns its path, for the caller to rename into place.
   */
  private async stage(target: string, data: Buffer): Promise<string | undefined> {
    const now = new Date(this.clock());
    try {
      await utimes(target, now, now);
      return undefined; // Content-addressed: same name, same bytes.
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }

    const createdTmp = await mkdir(this.tmpDir, { recursive: true });
    if (createdTmp) await fsyncDir(this.root);
    const dir = path.dirname(target);
    const createdShard = await mkdir(dir, { recursive: true });
    if (createdShard) await fsyncDir(this.root);

    const tmp = path.join(this.tmpDir, `${path.basename(target)}.${randomUUID()}.tmp`);
    try {
      const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o640);
      try {
        await fh.writeFile(data);
        await fh.utimes(now, now);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      await unlinkIfPresent(tmp);
      throw err;
    }
    return tmp;
  }
}

/** Makes a rename or a new directory entry durable. Some platforms cannot fsync a directory. */
async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!isErrno(err, 'EISDIR', 'EPERM', 'EINVAL', 'EBADF')) throw err;
  } finally {
    await fh?.close();
  }
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

async function readdirIfPresent(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

/** A regular file last modified at or before `cutoff` (ms since epoch); false if it vanished. */
async function isOldFile(file: string, cutoff: number): Promise<boolean> {
  try {
    const s = await stat(file);
    return s.isFile() && s.mtimeMs <= cutoff;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}
