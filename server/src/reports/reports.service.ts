import crypto from 'node:crypto';
import type { Request } from 'express';
import type { Pool } from 'pg';
import type { SecurityConfig } from '../config';
import { OPEN_STATUSES, type LocationSource, type Priority } from '../contract/common';
import { LIMITS } from '../contract/limits';
import type { ContactLocale } from '../contract/privacy';
import type {
  CreateReportFields,
  ListReportsQuery,
  NearbyReport,
  OwnReport,
  PublicReport,
  ReportPage,
} from '../contract/reports';
import { photoIsPublic } from '../contract/moderation';
import {
  CREW_STATUSES,
  MODERATION_STATUSES,
  type StaffPhotoView,
  type StaffReport,
  type StaffReportPage,
  type StaffReportsQuery,
  type StatusChangeBody,
} from '../contract/staff';
import { withTransaction } from '../db';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { auditRequest } from '../audit/audit.service';
import { can, type Principal } from '../auth/policy';
import { authorise } from '../auth/scope';
import * as communes from '../communes/communes.repo';
import { nearestAddress } from '../addresses/addresses.repo';
import { consumeAll } from '../http/rate-limit';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.processing';
import type { PhotoStore } from '../photos/photos.store';
import * as repo from './reports.repo';
import * as staffRepo from './reports.staff.repo';
import { transitionReport } from './reports.transitions';
import { scopeFilter } from './reports.scope';
import { relatedReports } from '../history/history.service';

/** What the reports service needs from the outside world. */
export interface ReportsDeps {
  pool: Pool;
  photos: PhotoStore;
  /** Upload limits per reporter token and per client address. */
  limits: SecurityConfig['reports'];
}

/**
 * Counts an upload against the limits per reporter token and per client address (429 with
 * Retry-After past them), before the body is parsed. Retries of the same report count too: the
 * outbox backs off, so an honest device stays far below the limits.
 */
export async function limitUploads(deps: ReportsDeps, token: string, ip: string): Promise<void> {
  const { perToken, perIp, windowSeconds } = deps.limits;
  await consumeAll(deps.pool, [
    { limit: { bucket: 'report_ip', max: perIp, windowSeconds }, key: ip },
    { limit: { bucket: 'report_token', max: perToken, windowSeconds }, key: token },
  ]);
}

/** An uploaded file as received (never trusted). */
export interface Upload {
  buffer: Buffer;
}

/** The answer to a PUT: 201 on first arrival, 200 for an identical retry. */
export interface PutOutcome {
  created: boolean;
  report: OwnReport;
}

/** sha256 of a reporter token; tokens are long random secrets, so a fast hash is enough. */
export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Fingerprint of a report's content (fields, owner, exact uploaded bytes): an identical retry
 * has the same fingerprint; the same id reused for something else does not.
 */
export function contentHash(
  id: string,
  tokenHash: Buffer,
  f: CreateReportFields,
  uploads: readonly Upload[],
): Buffer {
  const h = crypto.createHash('sha256');
  h.update(
    JSON.stringify([
      id,
      tokenHash.toString('hex'),
      f.category,
      f.lat,
      f.lon,
      f.accuracy,
      f.locationSource,
      new Date(f.capturedAt).toISOString(),
      f.description ?? null,
      f.contactEmail?.toLowerCase() ?? null,
      uploads.map((u) => crypto.createHash('sha256').update(u.buffer).digest('hex')),
    ]),
  );
  return h.digest();
}

function sameOwner(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Answers a repeated PUT: the stored report when the content is identical, 409 otherwise. */
async function answerRepeat(
  deps: ReportsDeps,
  id: string,
  hash: Buffer,
  tokenHash: Buffer,
): Promise<PutOutcome> {
  const stored = await repo.findOwnership(deps.pool, id);
  if (!stored || !stored.contentHash.equals(hash) || !sameOwner(stored.reporterTokenHash, tokenHash)) {
    throw ConflictError('A different report was already sent with this id.', 'report_id_conflict', 'id');
  }
  return { created: false, report: await ownView(deps, id) };
}

/** A report to store, whichever way it came (the resident app, an Open311 client). */
export interface ReportToCreate {
  /** The report's UUID (the phone's, or a fresh one). */
  id: string;
  commune: communes.CommuneRef;
  /** An active category of that commune. */
  category: communes.CategoryRow;
  lat: number;
  lon: number;
  accuracy: number;
  locationSource: LocationSource;
  description: string | null;
  priority: Priority;
  capturedAt: string;
  reporterTokenHash: Buffer;
  contactEmail: string | null;
  /** The resident's language for notification emails (only kept with a contact email). */
  contactLocale?: ContactLocale | null;
  contentHash: Buffer;
  source: repo.ReportSource;
  /** Photos already checked and re-encoded (processPhoto), in order; may be empty. */
  photos: readonly ProcessedPhoto[];
  /** Who the history's `created` entry names. */
  actor: { kind: 'reporter' | 'system'; id: string | null };
  /** Facts added to the `created` entry. */
  eventData?: Record<string, unknown>;
}

/**
 * Stores a new report: the photo files first (content-addressed), then the report, its photo
 * rows and its `created` history entry in one statement, so a crash leaves at worst
 * unreferenced files (swept later), never a row without its files. The place is named after
 * the commune's nearest address. False when a report with this id already exists (then
 * nothing was written).
 */
export async function createReport(
  deps: Pick<ReportsDeps, 'pool' | 'photos'>,
  r: ReportToCreate,
): Promise<boolean> {
  const address = await nearestAddress(deps.pool, r.commune.id, r.lat, r.lon);
  for (const p of r.photos) await deps.photos.put(p);
  return repo.insertReportWithPhotos(
    deps.pool,
    {
      id: r.id,
      communeId: r.commune.id,
      categoryId: r.category.id,
      lat: r.lat,
      lon: r.lon,
      accuracy: r.accuracy,
      locationSource: r.locationSource,
      description: r.description,
      priority: r.priority,
      capturedAt: r.capturedAt,
      reporterTokenHash: r.reporterTokenHash,
      contactEmail: r.contactEmail,
      contactLocale: r.contactEmail ? (r.contactLocale ?? null) : null,
      contentHash: r.contentHash,
      address,
      source: r.source,
    },
    r.photos.map((p, i) => ({
      position: i + 1,
      sha256: p.sha256,
      width: p.width,
      height: p.height,
      bytes: p.bytes,
    })),
    {
      actorKind: r.actor.kind,
      actorId: r.actor.id,
      action: 'created',
      fromStatus: null,
      toStatus: 'new',
      data: { category: r.category.code, photos: r.photos.length, ...r.eventData },
    },
  );
}

/**
 * Stores a resident's report exactly once. Photos are checked and re-encoded first, then
 * `createReport` writes the files before the rows: a crash leaves at worst unreferenced files,
 * swept later, never a row without its files.
 */
export async function putReport(
  deps: ReportsDeps,
  id: string,
  token: string,
  fields: CreateReportFields,
  uploads: readonly Upload[],
): Promise<PutOutcome> {
  if (uploads.length < LIMITS.minPhotos)
    throw ValidationError('Add at least one photo.', 'photos', 'photo_required');
  if (uploads.length > LIMITS.maxPhotos)
    throw ValidationError(`At most ${LIMITS.maxPhotos} photos per report.`, 'photos', 'too_many_files');
  const tokenHash = hashToken(token);
  const hash = contentHash(id, tokenHash, fields, uploads);
  if (await repo.findOwnership(deps.pool, id)) return answerRepeat(deps, id, hash, tokenHash);

  const commune = await communes.findCommuneContaining(deps.pool, fields.lat, fields.lon);
  if (!commune) {
    throw UnprocessableError(
      'This place is not in a commune served by Vigie. Check the location on the map.',
      'outside_communes',
      'lat',
    );
  }
  const category = await communes.findActiveCategory(deps.pool, commune.id, fields.category);
  if (!category) {
    throw UnprocessableError(
      `Unknown category "${fields.category}" in ${commune.name}.`,
      'unknown_category',
      'category',
    );
  }

  const processed: ProcessedPhoto[] = [];
  for (const [i, u] of uploads.entries()) processed.push(await processPhoto(u.buffer, `photos[${i}]`));

  const inserted = await createReport(deps, {
    id,
    commune,
    category,
    lat: fields.lat,
    lon: fields.lon,
    accuracy: fields.accuracy,
    locationSource: fields.locationSource,
    description: fields.description?.trim() || null,
    priority: category.defaultPriority,
    capturedAt: fields.capturedAt,
    reporterTokenHash: tokenHash,
    contactEmail: fields.contactEmail ?? null,
    contactLocale: fields.locale ?? null,
    contentHash: hash,
    source: 'app',
    photos: processed,
    actor: { kind: 'reporter', id: null },
  });
  if (!inserted) return answerRepeat(deps, id, hash, tokenHash);
  return { created: true, report: await ownView(deps, id) };
}

/** The fields anybody may see: the moderated text instead of the original, no moderation state. */
function publicView(r: repo.ReportRow): PublicReport {
  const { cursorAt: _c, contactEmail: _e, moderation, ...view } = r;
  return { ...view, description: moderation.publicDescription ?? view.description };
}

/** A report's fields for staff and for its reporter: the resident's original text. */
function originalView(r: repo.ReportRow): PublicReport {
  const { cursorAt: _c, contactEmail: _e, moderation: _m, ...view } = r;
  return view;
}

/**
 * The reporter's own view: what they sent (their original text), the text the public sees when
 * the town hall edited it, whether the public sees the report at all, why it was closed, every
 * photo (redacted ones as redacted: the photo route serves the same rendition to everybody) and
 * the public history with the town hall's updates.
 */
async function ownView(deps: ReportsDeps, id: string): Promise<OwnReport> {
  const row = await repo.findReport(deps.pool, id);
  if (!row) throw NotFoundError('report_not_found', 'Report not found.');
  const [photos, history] = await Promise.all([
    repo.listPhotos(deps.pool, id),
    repo.listPublicEvents(deps.pool, id),
  ]);
  return {
    ...originalView(row),
    publicDescription: row.moderation.publicDescription,
    hidden: row.moderation.hidden,
    statusReason: row.moderation.statusReason,
    contactEmail: row.contactEmail,
    photos: photos.map((p) =>
      repo.photoView(id, {
        n: p.position,
        width: p.width,
        height: p.height,
        sha: p.redactedSha256 ?? p.sha256,
      }),
    ),
    history,
  };
}

/**
 * A report's public fields; with the owner's token, also the owner's own fields. A report a
 * moderator hid answers non-owners the same 404 as a missing one.
 */
export async function getReport(
  deps: ReportsDeps,
  id: string,
  token: string | undefined,
): Promise<PublicReport | OwnReport> {
  const owner = token ? await repo.findOwnership(deps.pool, id) : undefined;
  if (owner && token && sameOwner(owner.reporterTokenHash, hashToken(token))) return ownView(deps, id);
  const row = await repo.findReport(deps.pool, id);
  if (!row || row.moderation.hidden) throw NotFoundError('report_not_found', 'Report not found.');
  return publicView(row);
}

function encodeCursor(r: { cursorAt: string; id: string }): string {
  return Buffer.from(`${r.cursorAt}|${r.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (
    !at ||
    !id ||
    !/^[0-9a-f-]{36}$/.test(id) ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at) ||
    Number.isNaN(Date.parse(at))
  ) {
    throw ValidationError('cursor: must be a cursor from a previous page', 'cursor', 'invalid_cursor');
  }
  return { at, id };
}

/** A page of public reports, newest first. */
export async function listReports(deps: ReportsDeps, q: ListReportsQuery): Promise<ReportPage> {
  const rows = await repo.listReports(deps.pool, {
    bbox: q.bbox,
    statuses: q.status,
    category: q.category,
    limit: q.limit,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(publicView),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}

/** Open reports within 50 m, for the "already reported nearby" hint. */
export async function nearby(
  deps: ReportsDeps,
  lat: number,
  lon: number,
  category: string | undefined,
): Promise<NearbyReport[]> {
  const rows = await repo.listNearbyOpen(
    deps.pool,
    lat,
    lon,
    LIMITS.nearbyRadiusMetres,
    category,
    OPEN_STATUSES,
  );
  return rows.map((r) => ({ ...publicView(r), distanceMetres: r.distanceMetres }));
}

/** The reports sent from the device holding this token. */
export async function mine(deps: ReportsDeps, token: string): Promise<PublicReport[]> {
  const rows = await repo.listByReporter(deps.pool, hashToken(token), LIMITS.maxPageSize);
  // The device's own reports, hidden ones included, with the resident's own text.
  return rows.map(originalView);
}

/** Who asks for a photo, and how a refusal of an existing photo is recorded. */
export interface PhotoAccess {
  token: string | undefined;
  principal: Principal | undefined;
  /** `?original=1`: the unredacted original (admins only). */
  original?: boolean;
  /** Called when the photo exists but the caller (who showed a token or a session) may not see it. */
  denied(communeId: number): Promise<void>;
}

/**
 * Locates a photo file for the holder of the reporter token, for staff of the report's
 * commune, and for anybody when the public photo rule allows it (the commune shows photos, a
 * moderator approved this one, neither it nor its report is hidden). Everybody gets the same
 * rendition: the redacted one once a moderator redacted the photo. The original of a redacted
 * photo goes only to those who may open originals (the commune's admins), on explicit request.
 * A missing photo and one the caller may not see give the same 404, so existence is never
 * revealed.
 */
export async function photoFile(
  deps: ReportsDeps,
  id: string,
  n: number,
  size: 'full' | 'thumb',
  access: PhotoAccess,
): Promise<{ path: string; etag: string }> {
  const notFound = () => NotFoundError('photo_not_found', 'Photo not found.');
  const photo = await repo.findPhoto(deps.pool, id, n);
  if (!photo) throw notFound();
  const { token, principal } = access;
  const owner = token !== undefined && sameOwner(photo.reporterTokenHash, hashToken(token));
  const staff = !!principal && can(principal, 'reports:read', photo.communeId);
  const isPublic = photoIsPublic({
    communePhotosPublic: photo.communePhotosPublic,
    moderatedAt: photo.moderatedAt,
    photoHidden: photo.hidden,
    reportHidden: photo.reportHidden,
  });
  let allowed = owner || staff || isPublic;
  if (access.original) allowed = !!principal && can(principal, 'photos:original', photo.communeId);
  if (!allowed) {
    if (principal || token !== undefined) await access.denied(photo.communeId);
    throw notFound();
  }
  const sha = access.original ? photo.sha256 : (photo.redactedSha256 ?? photo.sha256);
  return { path: deps.photos.path(sha, size), etag: `"${sha.slice(0, 32)}-${size}"` };
}

const reportNotFound = () => NotFoundError('report_not_found', 'Report not found.');

/**
 * The reports staff may see, newest first: those of the communes where they may read reports,
 * or of the one commune asked for (404 when it is not one of theirs). No contact data in lists.
 */
export async function staffList(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  q: StaffReportsQuery,
): Promise<StaffReportPage> {
  const { limit, cursor, ...filter } = q;
  const scoped = await scopeFilter(deps.pool, req, p, filter, 'reports:read');
  if (!scoped) return { items: [], nextCursor: null };
  const rows = await staffRepo.listStaffReports(deps.pool, scoped, {
    limit,
    after: cursor ? decodeCursor(cursor) : undefined,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(originalView),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/**
 * One report as staff see it: photos, the whole history, and the reporter's contact email for
 * those allowed to see it (supervisors, admins), absent for crews. Another commune's report
 * answers the same 404 as a missing one.
 */
export async function staffReport(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
): Promise<StaffReport> {
  const communeId = await staffRepo.findReportCommune(deps.pool, id);
  if (communeId === undefined) throw reportNotFound();
  await authorise(deps.pool, req, p, 'reports:read', { type: 'report', id, communeId }, reportNotFound);
  const row = await repo.findReport(deps.pool, id);
  if (!row) throw reportNotFound();
  const [photos, history, related] = await Promise.all([
    repo.listPhotos(deps.pool, id),
    staffRepo.listAllEvents(deps.pool, id),
    relatedReports(deps.pool, id, communeId),
  ]);
  const m = row.moderation;
  const mayOpenOriginals = can(p, 'photos:original', communeId);
  return {
    ...originalView(row),
    ...(can(p, 'reports:contact', communeId) ? { contactEmail: row.contactEmail } : {}),
    photos: photos.map((ph) => staffPhotoView(id, ph, m, mayOpenOriginals)),
    history,
    hidden: m.hidden,
    publicDescription: m.publicDescription,
    statusReason: m.statusReason,
    duplicateOf: m.duplicateOf,
    closedAt: m.closedAt,
    photosPublic: m.photosPublic,
    can: {
      fieldStatus: can(p, 'reports:status', communeId),
      anyStatus: can(p, 'reports:moderate', communeId),
      triage: can(p, 'reports:triage', communeId),
      note: can(p, 'reports:note', communeId),
      moderate: can(p, 'reports:moderate', communeId),
      original: mayOpenOriginals,
    },
    ...related,
  };
}

/** A photo as staff see it: its moderation state, and the original's URL for those who may open it. */
function staffPhotoView(
  reportId: string,
  ph: repo.ModeratedPhotoRow,
  m: repo.ReportModeration,
  mayOpenOriginals: boolean,
): StaffPhotoView {
  const redacted = ph.redactedSha256 !== null;
  const originalKept = redacted && ph.redactedSha256 !== ph.sha256;
  const view = repo.photoView(reportId, {
    n: ph.position,
    width: ph.width,
    height: ph.height,
    sha: ph.redactedSha256 ?? ph.sha256,
  });
  return {
    ...view,
    hidden: ph.hidden,
    moderatedAt: ph.moderatedAt,
    redacted,
    originalKept,
    public: photoIsPublic({
      communePhotosPublic: m.photosPublic,
      moderatedAt: ph.moderatedAt,
      photoHidden: ph.hidden,
      reportHidden: m.hidden,
    }),
    originalUrl:
      originalKept && mayOpenOriginals ? `/api/reports/${reportId}/photos/${ph.position}?original=1` : null,
  };
}

/**
 * Changes a report's status. Crews may set the field statuses (in progress, fixed, not
 * fixable); other changes are triage and moderation, for supervisors. Appends to the report's
 * history and to the audit log (moderation decisions as such).
 */
export async function changeStatus(
  deps: ReportsDeps,
  req: Request,
  p: Principal,
  id: string,
  change: StatusChangeBody,
): Promise<StaffReport> {
  const { status } = change;
  const communeId = await staffRepo.findReportCommune(deps.pool, id);
  if (communeId === undefined) throw reportNotFound();
  const permission = CREW_STATUSES.includes(status) ? 'reports:status' : 'reports:moderate';
  await authorise(deps.pool, req, p, 'reports:read', { type: 'report', id, communeId }, reportNotFound);
  await authorise(deps.pool, req, p, permission, { type: 'report', id, communeId }, reportNotFound);
  const moderation = MODERATION_STATUSES.includes(status);
  await withTransaction(deps.pool, async (tx) => {
    const done = await transitionReport(tx, {
      reportId: id,
      to: status,
      actor: { kind: 'staff', id: p.userId },
      action: moderation ? 'moderated' : 'status_changed',
      reason: change.reason,
      duplicateOf: change.duplicateOf,
      data: change.note ? { note: change.note } : {},
    });
    if (!done.changed) return;
    await auditRequest(tx, req, {
      action: moderation ? 'report_moderated' : 'report_status_changed',
      outcome: 'success',
      communeId,
      objectType: 'report',
      objectId: id,
      data: { from: done.from, to: status, ...(done.duplicateOf ? { duplicateOf: done.duplicateOf } : {}) },
    });
  });
  return staffReport(deps, req, p, id);
}
