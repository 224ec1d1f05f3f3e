import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { Open311Config } from '../config';
import {
  JurisdictionId,
  OPEN311_LIMITS,
  Open311PostFields,
  splitAttributes,
  type Open311Discovery,
  type Open311PostAnswer,
  type Open311Request,
  type Open311RequestsQuery,
  type Open311Service,
  type Open311ServiceDefinition,
} from '../contract/open311';
import { LIMITS } from '../contract/limits';
import { AppError, NotFoundError, ValidationError } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import type { Actor } from '../users/users.service';
import { withTransaction } from '../db';
import { geocode } from '../addresses/addresses.repo';
import * as communes from '../communes/communes.repo';
import { consume } from '../http/rate-limit';
import { parse } from '../http/validate';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.processing';
import type { PhotoStore } from '../photos/photos.store';
import { createReport } from '../reports/reports.service';
import { readVigieAttributes, vigieAttributes } from './open311.attributes';
import { MediaError, type MediaFetcher } from './open311.media';
import * as repo from './open311.repo';
import { open311Status, reportStatusesFor, statusNotes } from './open311.status';
import { requestsWindow } from './open311.window';

/** What the Open311 server needs from the outside world. */
export interface Open311Deps {
  pool: Pool;
  photos: PhotoStore;
  config: Open311Config;
  /** Downloads media_url photos (the network; tests point it at a local server). */
  fetchMedia: MediaFetcher;
  /** The clock; now when absent. */
  now?: () => Date;
}

/** Several problems at once (every bad attribute), each one `{code, description}` in the answer. */
export class Open311Problems extends AppError {
  constructor(
    status: number,
    readonly descriptions: string[],
  ) {
    super(status, 'open311_problems', descriptions.join(' '));
  }
}

/** 403, as the specification wants for a missing or wrong api_key. */
const keyRefused = (message: string) => new AppError(403, 'invalid_api_key', message, 'api_key');

/**
 * The accuracy stored for a location Vigie cannot measure, metres: a point sent by a client (about
 * a phone's GPS), an address point (a house frontage along the street).
 */
export const OPEN311_ACCURACY_METRES = { point: 10, address: 50 } as const;

const now = (deps: Pick<Open311Deps, 'now'>) => deps.now?.() ?? new Date();

/**
 * The commune a call is about. `jurisdiction_id` is the commune's slug; it may be left out only
 * when the deployment serves a single commune (then that one), as the specification allows.
 */
export async function resolveJurisdiction(
  deps: Pick<Open311Deps, 'pool'>,
  slug: string | undefined,
): Promise<repo.Jurisdiction> {
  if (slug) {
    const j = await repo.findJurisdiction(deps.pool, slug);
    if (!j) throw NotFoundError('jurisdiction_not_found', `jurisdiction_id "${slug}" was not found.`);
    return j;
  }
  const only = await repo.onlyJurisdiction(deps.pool);
  if (!only)
    throw ValidationError(
      'jurisdiction_id is required: this server serves several communes (their slugs are listed by GET /api/communes).',
      'jurisdiction_id',
      'jurisdiction_required',
    );
  return only;
}

/** Open311 Service Discovery for this server (one endpoint, both formats). */
export function discovery(origin: string, at: Date): Open311Discovery {
  // Service lists change when a town hall edits its categories: clients should refresh daily.
  const changeset = `${at.toISOString().slice(0, 10)}T00:00:00Z`;
  return {
    changeset,
    contact: 'Vigie : adressez-vous aux services techniques de votre mairie / contact your town hall.',
    key_service:
      'Les clés d’API sont délivrées par l’administrateur Vigie de chaque commune (npm run admin -- open311:key --commune <slug>). ' +
      'API keys are issued per commune by its Vigie administrator.',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${origin}/open311/v2`,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

/** The commune's active categories as Open311 services. */
export async function listServices(
  deps: Pick<Open311Deps, 'pool'>,
  j: repo.Jurisdiction,
): Promise<Open311Service[]> {
  const cats = await communes.listActiveCategories(deps.pool, j.id);
  return cats.map((c) => ({
    service_code: c.code,
    service_name: c.labelFr,
    description: c.labelEn,
    metadata: true,
    type: 'realtime',
    keywords: [c.labelEn, c.code, c.workType].join(', '),
    group: c.workType,
  }));
}

const serviceNotFound = (code: string) =>
  NotFoundError('service_not_found', `service_code "${code}" was not found in this jurisdiction.`);

/** The definition of one of the commune's services (404 for an unknown or inactive one). */
export async function serviceDefinition(
  deps: Pick<Open311Deps, 'pool'>,
  j: repo.Jurisdiction,
  code: string,
): Promise<Open311ServiceDefinition> {
  const cat = await communes.findActiveCategory(deps.pool, j.id, code);
  if (!cat) throw serviceNotFound(code);
  return { service_code: cat.code, attributes: vigieAttributes() };
}

function toRequest(r: repo.RequestRow, j: repo.Jurisdiction, origin: string): Open311Request {
  const status = open311Status(r.status);
  const open = status === 'open';
  return {
    service_request_id: r.id,
    status,
    status_notes: statusNotes({
      status: r.status,
      statusReason: r.statusReason,
      duplicateOf: r.duplicateOf,
      expectedDay: open ? r.expectedDay : null,
    }),
    service_name: r.serviceName,
    service_code: r.serviceCode,
    description: r.description,
    agency_responsible: j.name,
    service_notice: null,
    requested_datetime: r.receivedAt.toISOString(),
    updated_datetime: (!open && r.closedAt ? r.closedAt : r.updatedAt).toISOString(),
    expected_datetime: open && r.expectedAt ? r.expectedAt.toISOString() : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.photoPublic ? `${origin}/api/reports/${r.id}/photos/1` : null,
  };
}

/** The commune's visible reports matching the query, newest first, at most 1000. */
export async function listRequests(
  deps: Pick<Open311Deps, 'pool' | 'now'>,
  j: repo.Jurisdiction,
  q: Open311RequestsQuery,
  origin: string,
): Promise<Open311Request[]> {
  const window = requestsWindow(q, now(deps));
  const rows = await repo.listRequests(deps.pool, {
    communeId: j.id,
    ...(q.service_request_id ? { ids: q.service_request_id } : {}),
    ...(q.service_code ? { serviceCodes: q.service_code } : {}),
    ...(q.status ? { statuses: reportStatusesFor(q.status) } : {}),
    ...window,
    limit: OPEN311_LIMITS.maxRequests,
  });
  return rows.map((r) => toRequest(r, j, origin));
}

/** One visible report of the commune (404 when missing, hidden or another commune's). */
export async function getRequest(
  deps: Pick<Open311Deps, 'pool'>,
  j: repo.Jurisdiction,
  id: string,
  origin: string,
): Promise<Open311Request> {
  const row = await repo.findRequest(deps.pool, j.id, id);
  if (!row)
    throw NotFoundError(
      'request_not_found',
      `service_request_id "${id}" was not found in this jurisdiction.`,
    );
  return toRequest(row, j, origin);
}

/** sha256 of an API key; keys are long random secrets, so a fast hash is enough. */
export function hashApiKey(key: string): Buffer {
  return crypto.createHash('sha256').update(key, 'utf8').digest();
}

/** A new API key for a commune: returned once, only its hash is kept; audited. */
export async function issueKey(
  pool: Pool,
  actor: Actor,
  communeId: number,
  label: string | null,
): Promise<{ id: number; key: string; prefix: string }> {
  const key = `v311_${crypto.randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, 12);
  const id = await withTransaction(pool, async (tx) => {
    const created = await repo.insertKey(tx, { communeId, keyHash: hashApiKey(key), prefix, label });
    await insertAudit(tx, {
      ...actor,
      action: 'api_key_issued',
      outcome: 'success',
      communeId,
      objectType: 'api_key',
      objectId: String(created),
      data: { api: 'open311', prefix, label },
    });
    return created;
  });
  return { id, key, prefix };
}

/** Revokes a commune's key at once (its next request gets 403); false when it was not active. Audited. */
export async function revokeKey(pool: Pool, actor: Actor, communeId: number, id: number): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const revoked = await repo.revokeKey(tx, communeId, id);
    if (revoked)
      await insertAudit(tx, {
        ...actor,
        action: 'api_key_revoked',
        outcome: 'success',
        communeId,
        objectType: 'api_key',
        objectId: String(id),
      });
    return revoked;
  });
}

/** Turns downloading media_url photos on or off for a commune; audited. */
export async function setMediaFetch(pool: Pool, actor: Actor, communeId: number, on: boolean): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await repo.setMediaFetch(tx, communeId, on);
    await insertAudit(tx, {
      ...actor,
      action: 'settings_changed',
      outcome: 'success',
      communeId,
      objectType: 'commune',
      objectId: String(communeId),
      data: { open311MediaFetch: on },
    });
  });
}

/** The parameters of a POST: the form body, and the query string for clients that put some there. */
function mergeParams(query: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...body };
  for (const [k, v] of Object.entries(query)) {
    if (k in merged && JSON.stringify(merged[k]) !== JSON.stringify(v))
      throw ValidationError(`${k} is given in both the URL and the body, with different values.`, k);
    merged[k] = v;
  }
  return merged;
}

/** The commune an API key may post to, checked against the jurisdiction_id given (if any). */
async function authorisedJurisdiction(
  deps: Pick<Open311Deps, 'pool'>,
  params: Record<string, unknown>,
): Promise<{ j: repo.Jurisdiction; keyId: number }> {
  const raw = params.api_key;
  if (raw === undefined || raw === '')
    throw keyRefused('api_key is missing: this call needs the key issued to you by the commune.');
  if (typeof raw !== 'string' || raw.length > 200)
    throw keyRefused('Invalid api_key received: cannot create the request.');
  const key = await repo.useKey(deps.pool, hashApiKey(raw));
  if (!key) throw keyRefused('Invalid api_key received: cannot create the request.');
  const given = params.jurisdiction_id;
  const jurisdiction =
    given === undefined || given === ''
      ? undefined
      : await resolveJurisdiction(
          deps,
          parse(z.object({ jurisdiction_id: JurisdictionId }), { jurisdiction_id: given }).jurisdiction_id,
        );
  if (jurisdiction && jurisdiction.id !== key.communeId)
    throw keyRefused(`This api_key is not valid for jurisdiction_id "${jurisdiction.slug}".`);
  const j = jurisdiction ?? (await repo.findJurisdictionById(deps.pool, key.communeId));
  if (!j) throw keyRefused('Invalid api_key received: cannot create the request.');
  return { j, keyId: key.id };
}

/** Where the request is, and the commune's address label when it was typed. */
async function locate(
  deps: Pick<Open311Deps, 'pool'>,
  j: repo.Jurisdiction,
  f: Open311PostFields,
): Promise<{ lat: number; lon: number; accuracy: number; typed: string | undefined }> {
  if (f.address_id !== undefined)
    throw ValidationError(
      'address_id is not supported here: send lat and long, or address_string.',
      'address_id',
      'address_id_unsupported',
    );
  if (f.lat !== undefined && f.long !== undefined) {
    if (!(await repo.communeContains(deps.pool, j.id, f.lat, f.long)))
      throw ValidationError(
        `lat/long (${f.lat}, ${f.long}) is outside ${j.name}: send a point inside the commune of jurisdiction_id "${j.slug}".`,
        'lat',
        'outside_jurisdiction',
      );
    // address_string, when sent too (the specification's own example does), is kept as typed.
    return { lat: f.lat, lon: f.long, accuracy: OPEN311_ACCURACY_METRES.point, typed: f.address_string };
  }
  if (f.address_string !== undefined) {
    const found = await geocode(deps.pool, j.id, f.address_string);
    if (!found || !(await repo.communeContains(deps.pool, j.id, found.lat, found.lon)))
      throw ValidationError(
        `address_string "${f.address_string}" was not found among the addresses of ${j.name}: check it, or send lat and long.`,
        'address_string',
        'address_not_found',
      );
    return {
      lat: found.lat,
      lon: found.lon,
      accuracy: OPEN311_ACCURACY_METRES.address,
      typed: f.address_string,
    };
  }
  throw ValidationError(
    'A location is required: lat and long, or address_string.',
    'lat',
    'location_required',
  );
}

/** The photo at media_url run through the upload pipeline, or why there is none. */
async function mediaPhoto(
  deps: Pick<Open311Deps, 'fetchMedia'>,
  j: repo.Jurisdiction,
  url: string | undefined,
): Promise<{ photo: ProcessedPhoto | undefined; notice: string | undefined }> {
  if (!url) return { photo: undefined, notice: undefined };
  if (!j.mediaFetch)
    return {
      photo: undefined,
      notice:
        'Photo non récupérée : cette commune n’accepte pas les photos par media_url. / Photo not fetched: this commune does not accept photos by media_url.',
    };
  try {
    const bytes = await deps.fetchMedia(url);
    return { photo: await processPhoto(bytes, 'media_url'), notice: undefined };
  } catch (err) {
    if (!(err instanceof MediaError) && !(err instanceof AppError)) throw err;
    const why =
      err instanceof MediaError ? err.message : 'ce n’est pas une photo lisible / it is not a readable photo';
    return {
      photo: undefined,
      notice: `Signalement enregistré sans photo : la photo de media_url n’a pas pu être récupérée (${why}). / Report stored without its photo.`,
    };
  }
}

/**
 * Stores an Open311 service request as a report of the api_key's commune, at once (type
 * realtime: the answer carries the id). Checks, in order: the key (403), the jurisdiction
 * (404, or 403 when the key is another commune's), the posting rate, the fields, the location
 * (inside the commune; a typed address is geocoded with the local address table), the service
 * (404) and its attributes. The email becomes the report's contact email; names, phone, device
 * and account ids are not stored. A photo at media_url is downloaded only where the commune
 * allows it; when that fails the report is stored without it and `service_notice` says so.
 */
export async function createRequest(
  deps: Open311Deps,
  query: Record<string, unknown>,
  body: Record<string, unknown>,
): Promise<Open311PostAnswer> {
  const params = mergeParams(query, body);
  const { j, keyId } = await authorisedJurisdiction(deps, params);
  await consume(
    deps.pool,
    { bucket: 'georeport_key', max: deps.config.perKey, windowSeconds: deps.config.windowSeconds },
    String(keyId),
  );

  const { fields, attributes, badKeys } = splitAttributes(params);
  if (badKeys.length > 0)
    throw ValidationError(`${badKeys[0]}: attributes are sent as attribute[code]=value.`, badKeys[0]);
  const f = parse(Open311PostFields, fields);
  const where = await locate(deps, j, f);
  const category = await communes.findActiveCategory(deps.pool, j.id, f.service_code);
  if (!category) throw serviceNotFound(f.service_code);
  const at = now(deps);
  const { facts, errors } = readVigieAttributes(attributes, category.defaultPriority, at);
  if (errors.length > 0)
    throw new Open311Problems(
      400,
      errors.map((e) => `${e.field}: ${e.message}`),
    );

  const text = [f.description?.trim(), facts.landmark ? `Repère : ${facts.landmark}` : undefined]
    .filter(Boolean)
    .join('\n\n');
  if (text.length > LIMITS.maxDescription)
    throw ValidationError(
      `description: with the landmark, must be at most ${LIMITS.maxDescription} characters.`,
      'description',
    );

  const media = await mediaPhoto(deps, j, f.media_url);
  const id = crypto.randomUUID();
  const capturedAt = (facts.capturedAt ?? at).toISOString();
  await createReport(deps, {
    id,
    commune: { id: j.id, slug: j.slug, name: j.name },
    category,
    lat: where.lat,
    lon: where.lon,
    accuracy: where.accuracy,
    locationSource: 'manual',
    description: text || null,
    priority: facts.priority,
    capturedAt,
    // Nobody holds this token: the report is followed through Open311, not "my reports".
    reporterTokenHash: crypto.createHash('sha256').update(crypto.randomBytes(32)).digest(),
    contactEmail: f.email ?? null,
    contentHash: crypto
      .createHash('sha256')
      .update(
        JSON.stringify([
          id,
          j.id,
          category.code,
          where.lat,
          where.lon,
          text,
          capturedAt,
          f.media_url ?? null,
        ]),
      )
      .digest(),
    source: 'open311',
    photos: media.photo ? [media.photo] : [],
    actor: { kind: 'system', id: `open311-key:${keyId}` },
    eventData: {
      source: 'open311',
      keyId,
      attributes: Object.fromEntries(Object.entries(attributes)),
      ...(where.typed ? { addressString: where.typed } : {}),
      ...(f.media_url ? { mediaFetched: Boolean(media.photo) } : {}),
    },
  });
  return {
    service_request_id: id,
    service_notice: [`Signalement transmis à la mairie de ${j.name}.`, media.notice]
      .filter(Boolean)
      .join(' '),
    account_id: null,
  };
}
