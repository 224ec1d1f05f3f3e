import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { ReportStatus } from '../contract/common';
import type {
  ListPlansQuery,
  PlanDraft,
  PlanPreviewRequest,
  PlanView,
  SavePlansRequest,
  StopUpdateRequest,
  StopView,
  TravelInfo,
} from '../contract/plans';
import { withTransaction } from '../db';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { processPhoto } from '../photos/photos.processing';
import type { PhotoSize, PhotoStore } from '../photos/photos.store';
import { planRounds } from './planner/planner';
import type {
  GeoPoint,
  PlannerCrew,
  PlannerReport,
  SupplyPoint,
  TravelModel,
  UnplannedReason,
} from './planner/types';
import * as repo from './plans.repo';
import { OsrmError } from './osrm';
import { getDayStart } from '../settings/operations.repo';
import { crewIdsOfUser } from '../settings/crews.repo';
import { timeRound } from './planner/timing';
import { defaultTravel, matrixTravel, type TravelMatrix } from './planner/travel';
import { transitionReport } from '../reports/reports.transitions';

/** What the plans service needs. */
export interface PlansDeps {
  pool: Pool;
  photos: PhotoStore;
  /** Called after a change is committed (wakes this instance's live streams at once). */
  onChange?: () => void;
  /**
   * Road travel table between points (OSRM `/table`), when one is configured; throws OsrmError
   * when it cannot answer, and the service falls back to great-circle times.
   */
  roadTravel?: (points: readonly GeoPoint[]) => Promise<TravelMatrix>;
}

/** Who acts, and on which communes (from the staff session). */
export interface Actor {
  userId: string;
  communeIds: readonly number[];
}

/** A proposed plan (not saved yet). */
export type PreviewPlan = Omit<PlanView, 'id' | 'status' | 'publishedAt' | 'closedAt'> & { fits: boolean };

/** Answer of a preview. */
export interface PreviewAnswer {
  date: string;
  /** Which travel times the proposal used. */
  travel: TravelInfo;
  plans: PreviewPlan[];
  unplanned: Array<{ reportId: string; reason: UnplannedReason }>;
  stats: { reports: number; planned: number; dangerPlanned: number; dangerTotal: number; elapsedMs: number };
}

const planNotFound = () => NotFoundError('plan_not_found', 'Plan not found.');

function assertCommune(actor: Actor, communeId: number): void {
  // Another commune's plans and reports answer exactly like missing ones.
  if (!actor.communeIds.includes(communeId)) throw NotFoundError('commune_not_found', 'Commune not found.');
}

function thumbUrl(reportId: string, hasPhoto: boolean): string | null {
  return hasPhoto ? `/api/reports/${reportId}/photos/1?size=thumb` : null;
}

/** The after-photo's address; the sha prefix changes the URL when a new photo replaces it (caches). */
function afterPhotoUrl(planId: string, reportId: string, sha: string): string {
  return `/api/plans/${planId}/stops/${reportId}/photo?v=${sha.slice(0, 12)}`;
}

async function supplyPoints(
  db: Pool | PoolClient,
  communeId: number,
): Promise<Record<string, SupplyPoint & { name: string }>> {
  const rows = await repo.listSupplyPoints(db, communeId);
  return Object.fromEntries(
    rows.map((s) => [
      s.workType,
      { point: { lat: s.lat, lon: s.lon }, serviceMinutes: s.serviceMinutes, name: s.name },
    ]),
  );
}

/**
 * The travel model for a set of points: the road network's table when one is configured and
 * answers, else undefined (the default great-circle model at each crew's speed), with what to
 * tell the supervisor.
 */
async function travelFor(
  deps: PlansDeps,
  points: readonly GeoPoint[],
): Promise<{ model: TravelModel | undefined; info: TravelInfo }> {
  if (!deps.roadTravel) return { model: undefined, info: { model: 'great_circle', fallback: null } };
  const unique = new Map<string, GeoPoint>();
  for (const p of points) unique.set(`${p.lat},${p.lon}`, { lat: p.lat, lon: p.lon });
  try {
    const matrix = await deps.roadTravel([...unique.values()]);
    return { model: matrixTravel(matrix), info: { model: 'road_network', fallback: null } };
  } catch (err) {
    const fallback =
      err instanceof OsrmError
        ? { reason: err.reason, message: err.message }
        : { reason: 'malformed' as const, message: `Unexpected answer: ${String(err).slice(0, 200)}` };
    return { model: undefined, info: { model: 'great_circle', fallback } };
  }
}

/** A deterministic seed per commune and day: the same request gives the same proposal. */
function seedOf(communeId: number, date: string): number {
  return crypto.createHash('sha256').update(`${communeId}:${date}`).digest().readUInt32BE(0);
}

/**
 * Proposes the day's rounds from the commune's open reports: one work type per crew, danger
 * first, then the most valuable reports, in as little driving as the time budget allows.
 */
export async function preview(
  deps: PlansDeps,
  actor: Actor,
  req: PlanPreviewRequest,
): Promise<PreviewAnswer> {
  assertCommune(actor, req.communeId);
  let crews = await repo.listCrews(deps.pool, req.communeId);
  if (req.crewIds) {
    const unknown = req.crewIds.find((id) => !crews.some((c) => c.id === id));
    if (unknown !== undefined) throw ValidationError(`Unknown crew ${unknown}.`, 'crewIds', 'unknown_crew');
    crews = crews.filter((c) => req.crewIds!.includes(c.id));
  }
  const open = await repo.listPlannableReports(deps.pool, req.communeId, { workTypes: req.workTypes });
  const supply = await supplyPoints(deps.pool, req.communeId);
  const plannerCrews: PlannerCrew[] = crews.map((c) => ({
    id: String(c.id),
    workTypes: c.workTypes,
    workingMinutes: c.workingMinutes,
    depot: c.depot,
    speedKmh: c.speedKmh,
  }));
  const plannerReports: PlannerReport[] = open.map((r) => ({
    id: r.id,
    point: { lat: r.lat, lon: r.lon },
    workType: r.workType,
    serviceMinutes: r.serviceMinutes,
    priority: r.priority,
    ageDays: r.ageDays,
  }));
  const travel = await travelFor(deps, [
    ...plannerCrews.map((c) => c.depot),
    ...Object.values(supply).map((s) => s.point),
    ...plannerReports.map((r) => r.point),
  ]);
  const out = planRounds({
    date: req.date,
    reports: plannerReports,
    crews: plannerCrews,
    supplyPoints: supply,
    seed: seedOf(req.communeId, req.date),
    timeBudgetMs: req.timeBudgetMs,
    ...(travel.model ? { travel: travel.model } : {}),
  });
  const summaries = await repo.reportSummaries(
    deps.pool,
    out.plans.flatMap((p) => p.stops.map((s) => s.reportId)),
  );
  const crewById = new Map(crews.map((c) => [String(c.id), c]));
  const dayStartMinute = (await getDayStart(deps.pool, req.communeId)) ?? 480;
  const plans: PreviewPlan[] = out.plans.map((p) => {
    const crew = crewById.get(p.crewId)!;
    return {
      communeId: req.communeId,
      date: req.date,
      workType: p.workType,
      crew: { id: crew.id, name: crew.name },
      dayStartMinute,
      depot: crew.depot,
      supply: p.supply
        ? {
            name: p.supply.name ?? null,
            lat: p.supply.point.lat,
            lon: p.supply.point.lon,
            arrivalMinute: p.supply.arrivalMinute,
          }
        : null,
      totals: {
        travelMinutes: p.travelMinutes,
        serviceMinutes: p.serviceMinutes,
        totalMinutes: p.totalMinutes,
        distanceMetres: p.distanceMetres,
        workingMinutes: crew.workingMinutes,
        returnTravelMinutes: p.returnTravelMinutes,
      },
      fits: p.totalMinutes <= crew.workingMinutes + 1e-6,
      stops: p.stops.map((s, i) => {
        const report = summaries.get(s.reportId)!;
        return {
          position: i + 1,
          reportId: s.reportId,
          status: 'pending' as const,
          note: null,
          doneAt: null,
          arrivalMinute: s.arrivalMinute,
          serviceMinutes: s.serviceMinutes,
          travelMinutes: s.travelMinutes,
          distanceMetres: s.distanceMetres,
          afterPhotoUrl: null,
          report: { ...withoutHasPhoto(report), thumbUrl: thumbUrl(s.reportId, report.hasPhoto) },
        };
      }),
    };
  });
  const planned = plans.reduce((n, p) => n + p.stops.length, 0);
  return {
    date: req.date,
    travel: travel.info,
    plans,
    unplanned: out.unplanned,
    stats: {
      reports: open.length,
      planned,
      dangerPlanned: out.stats.dangerPlanned,
      dangerTotal: out.stats.dangerTotal,
      elapsedMs: Math.round(out.stats.elapsedMs),
    },
  };
}

function withoutHasPhoto(r: repo.StopRow['report']): Omit<repo.StopRow['report'], 'hasPhoto'> {
  const { hasPhoto: _h, ...rest } = r;
  return rest;
}

/** Times one draft against its crew and supply point; refuses what cannot be done in the day. */
async function timeDraft(
  tx: PoolClient,
  communeId: number,
  draft: PlanDraft,
  index: number,
  supply: Record<string, SupplyPoint & { name: string }>,
  road: TravelModel | undefined,
) {
  const crew = await repo.findCrew(tx, communeId, draft.crewId);
  if (!crew) throw ValidationError(`Unknown crew ${draft.crewId}.`, `plans.${index}.crewId`, 'unknown_crew');
  if (crew.workTypes.length > 0 && !crew.workTypes.includes(draft.workType)) {
    throw UnprocessableError(
      `${crew.name} does not do ${draft.workType}.`,
      'crew_cannot_do_work_type',
      `plans.${index}`,
    );
  }
  if (new Set(draft.reportIds).size !== draft.reportIds.length) {
    throw ValidationError('A report appears twice in a plan.', `plans.${index}.reportIds`, 'duplicate_stop');
  }
  const open = await repo.listPlannableReports(tx, communeId, { ids: draft.reportIds });
  const byId = new Map(open.map((r) => [r.id, r]));
  for (const id of draft.reportIds) {
    const r = byId.get(id);
    if (!r) {
      throw ConflictError(
        `Report ${id} is no longer open or is already in another plan.`,
        'report_not_plannable',
        `plans.${index}.reportIds`,
      );
    }
    if (r.workType !== draft.workType) {
      throw UnprocessableError(
        `Report ${id} is not ${draft.workType} work.`,
        'wrong_work_type',
        `plans.${index}.reportIds`,
      );
    }
  }
  const s = supply[draft.workType];
  const timing = timeRound(
    road ?? defaultTravel({ speedKmh: crew.speedKmh }),
    crew.depot,
    crew.workingMinutes,
    s,
    draft.reportIds.map((id) => {
      const r = byId.get(id)!;
      return { point: { lat: r.lat, lon: r.lon }, serviceMinutes: r.serviceMinutes };
    }),
  );
  if (!timing.fits) {
    throw UnprocessableError(
      `The round of ${crew.name} would last ${Math.round(timing.totalMinutes)} min, more than its ${crew.workingMinutes} min day: remove a stop.`,
      'plan_exceeds_day',
      `plans.${index}`,
    );
  }
  return { crew, timing, supply: s };
}

/** Saves the supervisor's plans as drafts (see saveWithTravel). */
export async function save(deps: PlansDeps, actor: Actor, req: SavePlansRequest): Promise<PlanView[]> {
  return (await saveWithTravel(deps, actor, req)).items;
}

/**
 * Saves the supervisor's plans as drafts after re-checking and re-timing each one, with the same
 * travel model as the proposal (the road network when it answers), and says which one it was.
 */
export async function saveWithTravel(
  deps: PlansDeps,
  actor: Actor,
  req: SavePlansRequest,
): Promise<{ items: PlanView[]; travel: TravelInfo }> {
  assertCommune(actor, req.communeId);
  const all = req.plans.flatMap((p) => p.reportIds);
  if (new Set(all).size !== all.length) {
    throw ValidationError('A report appears in two plans.', 'plans', 'duplicate_stop');
  }
  // The road table is fetched before the transaction: a slow OSRM must not hold the commune's lock.
  const travel = deps.roadTravel
    ? await travelFor(deps, [
        ...(await repo.listCrews(deps.pool, req.communeId)).map((c) => c.depot),
        ...Object.values(await supplyPoints(deps.pool, req.communeId)).map((s) => s.point),
        ...(await repo.listPlannableReports(deps.pool, req.communeId, { ids: all })).map((r) => ({
          lat: r.lat,
          lon: r.lon,
        })),
      ])
    : await travelFor(deps, []);
  const ids = await withTransaction(deps.pool, async (tx) => {
    // One planner at a time per commune: two supervisors saving at once cannot double-book a report.
    await tx.query('SELECT id FROM communes WHERE id = $1 FOR UPDATE', [req.communeId]);
    const supply = await supplyPoints(tx, req.communeId);
    const saved: string[] = [];
    for (const [i, draft] of req.plans.entries()) {
      const { crew, timing, supply: s } = await timeDraft(tx, req.communeId, draft, i, supply, travel.model);
      const id = await repo.insertPlan(tx, {
        communeId: req.communeId,
        date: req.date,
        workType: draft.workType,
        crewId: crew.id,
        crewName: crew.name,
        depot: crew.depot,
        supply:
          s && timing.supply
            ? { name: s.name, lat: s.point.lat, lon: s.point.lon, arrivalMinute: timing.supply.arrivalMinute }
            : null,
        workingMinutes: crew.workingMinutes,
        travelMinutes: timing.travelMinutes,
        serviceMinutes: timing.serviceMinutes,
        totalMinutes: timing.totalMinutes,
        distanceMetres: timing.distanceMetres,
        returnTravelMinutes: timing.returnTravelMinutes,
        returnDistanceMetres: timing.returnDistanceMetres,
        createdBy: actor.userId,
      });
      await repo.insertStops(
        tx,
        id,
        draft.reportIds.map((reportId, k) => ({ reportId, position: k + 1, ...timing.stops[k]! })),
      );
      saved.push(id);
    }
    return saved;
  });
  return { items: await Promise.all(ids.map((id) => get(deps, actor, id))), travel: travel.info };
}

async function view(deps: PlansDeps, plan: repo.PlanRow): Promise<PlanView> {
  const stops = await repo.listStops(deps.pool, [plan.id]);
  return toView(plan, stops);
}

function toView(plan: repo.PlanRow, stops: repo.StopRow[]): PlanView {
  return {
    id: plan.id,
    communeId: plan.communeId,
    date: plan.date,
    workType: plan.workType,
    crew: { id: plan.crewId, name: plan.crewName },
    status: plan.status,
    dayStartMinute: plan.dayStartMinute,
    depot: plan.depot,
    supply: plan.supply,
    totals: {
      travelMinutes: plan.travelMinutes,
      serviceMinutes: plan.serviceMinutes,
      totalMinutes: plan.totalMinutes,
      distanceMetres: plan.distanceMetres,
      workingMinutes: plan.workingMinutes,
      returnTravelMinutes: plan.returnTravelMinutes,
    },
    stops: stops.map((s): StopView => ({
      position: s.position,
      reportId: s.reportId,
      status: s.status,
      note: s.note,
      doneAt: s.doneAt,
      arrivalMinute: s.arrivalMinute,
      serviceMinutes: s.serviceMinutes,
      travelMinutes: s.travelMinutes,
      distanceMetres: s.distanceMetres,
      afterPhotoUrl: s.afterPhotoSha256 ? afterPhotoUrl(plan.id, s.reportId, s.afterPhotoSha256) : null,
      report: { ...withoutHasPhoto(s.report), thumbUrl: thumbUrl(s.reportId, s.report.hasPhoto) },
    })),
    publishedAt: plan.publishedAt,
    closedAt: plan.closedAt,
  };
}

async function findScoped(deps: PlansDeps, actor: Actor, id: string): Promise<repo.PlanRow> {
  const plan = await repo.findPlan(deps.pool, id);
  if (!plan || !actor.communeIds.includes(plan.communeId)) throw planNotFound();
  return plan;
}

/** One plan with its stops (404 for another commune's). */
export async function get(deps: PlansDeps, actor: Actor, id: string): Promise<PlanView> {
  return view(deps, await findScoped(deps, actor, id));
}

/** Plans of the actor's communes. `publishedOnly` for crews, who never see drafts. */
export async function list(
  deps: PlansDeps,
  actor: Actor,
  q: ListPlansQuery,
  publishedOnly = false,
): Promise<PlanView[]> {
  if (q.communeId !== undefined) assertCommune(actor, q.communeId);
  const communes = q.communeId !== undefined ? [q.communeId] : actor.communeIds;
  let plans = await repo.listPlans(deps.pool, communes, { date: q.date, status: q.status });
  if (publishedOnly) plans = plans.filter((p) => p.status !== 'draft');
  const stops = await repo.listStops(
    deps.pool,
    plans.map((p) => p.id),
  );
  return plans.map((p) =>
    toView(
      p,
      stops.filter((s) => s.planId === p.id),
    ),
  );
}

/** The crews of the actor's communes that the actor belongs to (their rounds come first on a phone). */
export function myCrewIds(deps: PlansDeps, actor: Actor): Promise<number[]> {
  return crewIdsOfUser(deps.pool, actor.userId, actor.communeIds);
}

/**
 * A report's status after something happened in a round. The crew's update is recorded in the
 * report's history even when the status stays (the report was, say, marked a duplicate since
 * the round was published: the crew's phone must not be refused for that).
 */
async function changeReportStatus(
  tx: PoolClient,
  actor: Actor,
  reportId: string,
  to: ReportStatus,
  action: string,
  data: Record<string, unknown>,
  at?: string,
): Promise<void> {
  await transitionReport(tx, {
    reportId,
    to,
    actor: { kind: 'staff', id: actor.userId },
    action,
    data,
    whenRefused: 'record',
    ...(at ? { at } : {}),
  });
}

/** Publishes a draft to its crew; its reports become "planned". Publishing twice is harmless. */
export async function publish(deps: PlansDeps, actor: Actor, id: string): Promise<PlanView> {
  await findScoped(deps, actor, id);
  await withTransaction(deps.pool, async (tx) => {
    const plan = await repo.findPlan(tx, id, true);
    if (!plan) throw planNotFound();
    if (plan.status === 'published') return;
    if (plan.status === 'closed') throw ConflictError('This plan is closed.', 'plan_closed');
    await repo.setPlanStatus(tx, id, 'published');
    for (const s of await repo.listStops(tx, [id])) {
      await changeReportStatus(tx, actor, s.reportId, 'planned', 'planned', { planId: id, date: plan.date });
    }
  });
  deps.onChange?.();
  return get(deps, actor, id);
}

const REPORT_STATUS_AFTER: Record<StopUpdateRequest['status'], ReportStatus> = {
  done: 'fixed',
  not_fixable: 'not_fixable',
  skipped: 'planned',
};

/**
 * Records what the crew did at a stop. Idempotent: the phone may send the same update again
 * (lost response, retry from the outbox) and nothing changes the second time.
 */
export async function updateStop(
  deps: PlansDeps,
  actor: Actor,
  planId: string,
  reportId: string,
  body: StopUpdateRequest,
  afterPhoto: Buffer | undefined,
): Promise<PlanView> {
  await findScoped(deps, actor, planId);
  const processed = afterPhoto ? await processPhoto(afterPhoto, 'photo') : undefined;
  if (processed) await deps.photos.put(processed);
  await withTransaction(deps.pool, async (tx) => {
    const plan = await repo.findPlan(tx, planId, true);
    if (!plan) throw planNotFound();
    if (plan.status !== 'published') {
      throw ConflictError(
        plan.status === 'draft' ? 'This plan is not published yet.' : 'This plan is closed.',
        plan.status === 'draft' ? 'plan_not_published' : 'plan_closed',
      );
    }
    const stop = (await repo.listStops(tx, [planId])).find((s) => s.reportId === reportId);
    if (!stop) throw NotFoundError('stop_not_found', 'This report is not a stop of this plan.');
    const doneAt = new Date(body.at).toISOString();
    const note = body.note?.trim() || null;
    if (stop.status === body.status && stop.doneAt === doneAt && stop.note === note && !processed) return;
    await repo.updateStop(tx, planId, reportId, {
      status: body.status,
      note,
      doneAt,
      afterPhotoSha256: processed?.sha256 ?? null,
    });
    await changeReportStatus(
      tx,
      actor,
      reportId,
      REPORT_STATUS_AFTER[body.status],
      `stop_${body.status}`,
      { planId, at: doneAt, ...(note ? { note } : {}) },
      doneAt,
    );
  });
  deps.onChange?.();
  return get(deps, actor, planId);
}

/** Closes a published plan: stops not done go back to the open pool. */
export async function close(deps: PlansDeps, actor: Actor, id: string): Promise<PlanView> {
  await findScoped(deps, actor, id);
  await withTransaction(deps.pool, async (tx) => {
    const plan = await repo.findPlan(tx, id, true);
    if (!plan) throw planNotFound();
    if (plan.status === 'closed') return;
    if (plan.status === 'draft')
      throw ConflictError('Publish or delete a draft; it cannot be closed.', 'plan_not_published');
    await repo.setPlanStatus(tx, id, 'closed');
    for (const s of await repo.listStops(tx, [id])) {
      if (s.status === 'pending' || s.status === 'skipped') {
        await changeReportStatus(tx, actor, s.reportId, 'acknowledged', 'returned_to_pool', { planId: id });
      }
    }
  });
  deps.onChange?.();
  return get(deps, actor, id);
}

/** The file of a stop's after-photo (404 when there is none; the plan is authorised by the route). */
export async function stopPhotoFile(
  deps: PlansDeps,
  actor: Actor,
  planId: string,
  reportId: string,
  size: PhotoSize,
): Promise<{ path: string; etag: string }> {
  await findScoped(deps, actor, planId);
  const stop = (await repo.listStops(deps.pool, [planId])).find((s) => s.reportId === reportId);
  if (!stop?.afterPhotoSha256) throw NotFoundError('photo_not_found', 'Photo not found.');
  return {
    path: deps.photos.path(stop.afterPhotoSha256, size),
    etag: `"${stop.afterPhotoSha256.slice(0, 32)}-${size}"`,
  };
}

/** The commune of a plan, for authorisation before anything else is read (404 when missing). */
export async function communeOfPlan(deps: PlansDeps, id: string): Promise<number> {
  const plan = await repo.findPlan(deps.pool, id);
  if (!plan) throw planNotFound();
  return plan.communeId;
}
