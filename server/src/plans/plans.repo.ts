import type { Queryable } from '../db';
import type { Priority, ReportStatus } from '../contract/common';
import type { PlanStatus, StopStatus } from '../contract/plans';

/** A crew as the planner needs it, with its commune's depot. */
export interface CrewRow {
  id: number;
  name: string;
  workTypes: string[];
  workingMinutes: number;
  speedKmh: number;
  depot: { lat: number; lon: number };
}

/** Active crews of a commune. */
export async function listCrews(db: Queryable, communeId: number): Promise<CrewRow[]> {
  const { rows } = await db.query<{
    id: number;
    name: string;
    work_types: string[];
    working_minutes: number;
    speed_kmh: number;
    lat: number;
    lon: number;
  }>(
    `SELECT k.id, k.name, k.work_types, k.working_minutes, k.speed_kmh,
            ST_Y(c.depot::geometry) AS lat, ST_X(c.depot::geometry) AS lon
       FROM crews k JOIN communes c ON c.id = k.commune_id
      WHERE k.commune_id = $1 AND k.active ORDER BY k.id`,
    [communeId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    workTypes: r.work_types,
    workingMinutes: r.working_minutes,
    speedKmh: r.speed_kmh,
    depot: { lat: r.lat, lon: r.lon },
  }));
}

/** Creates a crew. */
export async function insertCrew(
  db: Queryable,
  communeId: number,
  c: { name: string; workTypes: string[]; workingMinutes: number; speedKmh: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO crews (commune_id, name, work_types, working_minutes, speed_kmh) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [communeId, c.name, c.workTypes, c.workingMinutes, c.speedKmh],
  );
  return rows[0]!.id;
}

/** A supply point per work type. */
export interface SupplyRow {
  workType: string;
  name: string;
  lat: number;
  lon: number;
  serviceMinutes: number;
}

/** Supply points of a commune. */
export async function listSupplyPoints(db: Queryable, communeId: number): Promise<SupplyRow[]> {
  const { rows } = await db.query<{
    work_type: string;
    name: string;
    lat: number;
    lon: number;
    service_minutes: number;
  }>(
    `SELECT work_type, name, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon, service_minutes
       FROM supply_points WHERE commune_id = $1`,
    [communeId],
  );
  return rows.map((r) => ({
    workType: r.work_type,
    name: r.name,
    lat: r.lat,
    lon: r.lon,
    serviceMinutes: r.service_minutes,
  }));
}

/** Creates or replaces a work type's supply point. */
export async function upsertSupplyPoint(db: Queryable, communeId: number, s: SupplyRow): Promise<void> {
  await db.query(
    `INSERT INTO supply_points (commune_id, work_type, name, location, service_minutes)
     VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326)::geography, $6)
     ON CONFLICT (commune_id, work_type) DO UPDATE
       SET name = EXCLUDED.name, location = EXCLUDED.location, service_minutes = EXCLUDED.service_minutes`,
    [communeId, s.workType, s.name, s.lon, s.lat, s.serviceMinutes],
  );
}

/** An open report as the planner sees it. */
export interface PlannableReport {
  id: string;
  lat: number;
  lon: number;
  workType: string;
  serviceMinutes: number;
  priority: Priority;
  ageDays: number;
}

/**
 * Open reports of a commune that no draft or published plan holds yet (new or acknowledged).
 * Optionally only some work types, or only some ids.
 */
export async function listPlannableReports(
  db: Queryable,
  communeId: number,
  filter: { workTypes?: string[]; ids?: string[] } = {},
): Promise<PlannableReport[]> {
  const { rows } = await db.query<{
    id: string;
    lat: number;
    lon: number;
    work_type: string;
    service_minutes: number;
    priority: Priority;
    age_days: number;
  }>(
    `SELECT r.id, ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon,
            ca.work_type, ca.default_service_minutes AS service_minutes, r.priority,
            extract(epoch FROM now() - r.received_at) / 86400 AS age_days
       FROM reports r JOIN categories ca ON ca.id = r.category_id
      WHERE r.commune_id = $1 AND r.status IN ('new', 'acknowledged')
        AND ($2::text[] IS NULL OR ca.work_type = ANY($2))
        AND ($3::uuid[] IS NULL OR r.id = ANY($3))
        AND NOT EXISTS (SELECT 1 FROM plan_stops s JOIN plans p ON p.id = s.plan_id
                         WHERE s.report_id = r.id AND p.status IN ('draft', 'published'))
      ORDER BY r.received_at, r.id`,
    [communeId, filter.workTypes ?? null, filter.ids ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    lat: r.lat,
    lon: r.lon,
    workType: r.work_type,
    serviceMinutes: r.service_minutes,
    priority: r.priority,
    ageDays: Math.max(0, Number(r.age_days)),
  }));
}

/** A plan as stored. */
export interface PlanRow {
  id: string;
  communeId: number;
  date: string;
  workType: string;
  crewId: number | null;
  crewName: string;
  status: PlanStatus;
  /** The commune's day start, minutes after midnight (read with the plan, not stored in it). */
  dayStartMinute: number;
  depot: { lat: number; lon: number };
  supply: { name: string | null; lat: number; lon: number; arrivalMinute: number } | null;
  workingMinutes: number;
  travelMinutes: number;
  serviceMinutes: number;
  totalMinutes: number;
  distanceMetres: number;
  returnTravelMinutes: number;
  returnDistanceMetres: number;
  publishedAt: string | null;
  closedAt: string | null;
}

/** A plan to insert (draft). */
export type NewPlan = Omit<PlanRow, 'id' | 'status' | 'publishedAt' | 'closedAt' | 'dayStartMinute'> & {
  createdBy: string | null;
};

/** Inserts a draft plan; returns its id. */
export async function insertPlan(db: Queryable, p: NewPlan): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO plans (commune_id, plan_date, work_type, crew_id, crew_name, depot, supply, working_minutes,
                        travel_minutes, service_minutes, total_minutes, distance_m, return_travel_minutes,
                        return_distance_m, created_by)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, $8::jsonb, $9, $10, $11, $12,
             $13, $14, $15, $16)
     RETURNING id`,
    [
      p.communeId,
      p.date,
      p.workType,
      p.crewId,
      p.crewName,
      p.depot.lon,
      p.depot.lat,
      p.supply ? JSON.stringify(p.supply) : null,
      p.workingMinutes,
      p.travelMinutes,
      p.serviceMinutes,
      p.totalMinutes,
      p.distanceMetres,
      p.returnTravelMinutes,
      p.returnDistanceMetres,
      p.createdBy,
    ],
  );
  return rows[0]!.id;
}

/** A stop to insert. */
export interface NewStop {
  reportId: string;
  position: number;
  arrivalMinute: number;
  serviceMinutes: number;
  travelMinutes: number;
  distanceMetres: number;
}

/** Inserts the stops of a plan. */
export async function insertStops(db: Queryable, planId: string, stops: readonly NewStop[]): Promise<void> {
  await db.query(
    `INSERT INTO plan_stops (plan_id, report_id, position, arrival_minute, service_minutes, travel_minutes, distance_m)
     SELECT $1, s."reportId", s.position, s."arrivalMinute", s."serviceMinutes", s."travelMinutes", s."distanceMetres"
       FROM jsonb_to_recordset($2::jsonb) AS s("reportId" uuid, position int, "arrivalMinute" float8,
                                              "serviceMinutes" float8, "travelMinutes" float8, "distanceMetres" float8)`,
    [planId, JSON.stringify(stops)],
  );
}

interface PlanDbRow {
  id: string;
  commune_id: number;
  plan_date: string;
  work_type: string;
  crew_id: number | null;
  crew_name: string;
  status: PlanStatus;
  day_start_minute: number;
  depot_lat: number;
  depot_lon: number;
  supply: PlanRow['supply'];
  working_minutes: number;
  travel_minutes: number;
  service_minutes: number;
  total_minutes: number;
  distance_m: number;
  return_travel_minutes: number;
  return_distance_m: number;
  published_at: Date | null;
  closed_at: Date | null;
}

const SELECT_PLAN = `
  SELECT id, commune_id, to_char(plan_date, 'YYYY-MM-DD') AS plan_date, work_type, crew_id, crew_name, status,
         ST_Y(depot::geometry) AS depot_lat, ST_X(depot::geometry) AS depot_lon, supply, working_minutes,
         travel_minutes, service_minutes, total_minutes, distance_m, return_travel_minutes, return_distance_m,
         published_at, closed_at,
         (SELECT c.day_start_minute FROM communes c WHERE c.id = plans.commune_id) AS day_start_minute
    FROM plans`;

function toPlan(r: PlanDbRow): PlanRow {
  return {
    id: r.id,
    communeId: r.commune_id,
    date: r.plan_date,
    workType: r.work_type,
    crewId: r.crew_id,
    crewName: r.crew_name,
    status: r.status,
    dayStartMinute: r.day_start_minute,
    depot: { lat: r.depot_lat, lon: r.depot_lon },
    supply: r.supply,
    workingMinutes: r.working_minutes,
    travelMinutes: r.travel_minutes,
    serviceMinutes: r.service_minutes,
    totalMinutes: r.total_minutes,
    distanceMetres: r.distance_m,
    returnTravelMinutes: r.return_travel_minutes,
    returnDistanceMetres: r.return_distance_m,
    publishedAt: r.published_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

/** A plan by id, optionally locked for update. */
export async function findPlan(db: Queryable, id: string, forUpdate = false): Promise<PlanRow | undefined> {
  const { rows } = await db.query<PlanDbRow>(
    `${SELECT_PLAN} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] && toPlan(rows[0]);
}

/** Plans of some communes, newest day first. */
export async function listPlans(
  db: Queryable,
  communeIds: readonly number[],
  f: { date?: string; status?: PlanStatus },
): Promise<PlanRow[]> {
  const { rows } = await db.query<PlanDbRow>(
    `${SELECT_PLAN} WHERE commune_id = ANY($1::int[]) AND ($2::date IS NULL OR plan_date = $2)
       AND ($3::text IS NULL OR status = $3) ORDER BY plan_date DESC, created_at, id LIMIT 500`,
    [communeIds, f.date ?? null, f.status ?? null],
  );
  return rows.map(toPlan);
}

/** Sets a plan's status and its timestamps. */
export async function setPlanStatus(db: Queryable, id: string, status: PlanStatus): Promise<void> {
  await db.query(
    `UPDATE plans SET status = $2, updated_at = now(),
            published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END,
            closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
      WHERE id = $1`,
    [id, status],
  );
}

/** A stop with its report, for the crew's screen. */
export interface StopRow {
  planId: string;
  reportId: string;
  position: number;
  status: StopStatus;
  note: string | null;
  doneAt: string | null;
  arrivalMinute: number;
  serviceMinutes: number;
  travelMinutes: number;
  distanceMetres: number;
  /** The crew's after-photo (sha256 of the stored file), if one was sent. */
  afterPhotoSha256: string | null;
  report: {
    category: { code: string; labelFr: string; labelEn: string; icon: string };
    lat: number;
    lon: number;
    description: string | null;
    priority: Priority;
    status: ReportStatus;
    hasPhoto: boolean;
  };
}

/** The stops of some plans, in order, with their reports. */
export async function listStops(db: Queryable, planIds: readonly string[]): Promise<StopRow[]> {
  const { rows } = await db.query<{
    plan_id: string;
    report_id: string;
    position: number;
    status: StopStatus;
    note: string | null;
    done_at: Date | null;
    arrival_minute: number;
    service_minutes: number;
    travel_minutes: number;
    distance_m: number;
    after_photo_sha256: string | null;
    code: string;
    label_fr: string;
    label_en: string;
    icon: string;
    lat: number;
    lon: number;
    description: string | null;
    priority: Priority;
    report_status: ReportStatus;
    has_photo: boolean;
  }>(
    `SELECT s.plan_id, s.report_id, s.position, s.status, s.note, s.done_at, s.arrival_minute, s.service_minutes,
            s.travel_minutes, s.distance_m, s.after_photo_sha256, ca.code, ca.label_fr, ca.label_en, ca.icon,
            ST_Y(r.location::geometry) AS lat, ST_X(r.location::geometry) AS lon, r.description, r.priority,
            r.status AS report_status, EXISTS (SELECT 1 FROM photos p WHERE p.report_id = r.id) AS has_photo
       FROM plan_stops s JOIN reports r ON r.id = s.report_id JOIN categories ca ON ca.id = r.category_id
      WHERE s.plan_id = ANY($1::uuid[]) ORDER BY s.plan_id, s.position`,
    [planIds],
  );
  return rows.map((r) => ({
    planId: r.plan_id,
    reportId: r.report_id,
    position: r.position,
    status: r.status,
    note: r.note,
    doneAt: r.done_at?.toISOString() ?? null,
    arrivalMinute: r.arrival_minute,
    serviceMinutes: r.service_minutes,
    travelMinutes: r.travel_minutes,
    distanceMetres: r.distance_m,
    afterPhotoSha256: r.after_photo_sha256,
    report: {
      category: { code: r.code, labelFr: r.label_fr, labelEn: r.label_en, icon: r.icon },
      lat: r.lat,
      lon: r.lon,
      description: r.description,
      priority: r.priority,
      status: r.report_status,
      hasPhoto: r.has_photo,
    },
  }));
}

/** Records what the crew did at a stop. */
export async function updateStop(
  db: Queryable,
  planId: string,
  reportId: string,
  u: { status: StopStatus; note: string | null; doneAt: string | null; afterPhotoSha256: string | null },
): Promise<void> {
  await db.query(
    `UPDATE plan_stops SET status = $3, note = $4, done_at = $5, after_photo_sha256 = coalesce($6, after_photo_sha256),
            updated_at = now()
      WHERE plan_id = $1 AND report_id = $2`,
    [planId, reportId, u.status, u.note, u.doneAt, u.afterPhotoSha256],
  );
}

/** Which of these reports a draft or published plan already holds (other than `exceptPlan`). */
export async function reportsInActivePlans(
  db: Queryable,
  reportIds: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.query<{ report_id: string }>(
    `SELECT s.report_id FROM plan_stops s JOIN plans p ON p.id = s.plan_id
      WHERE s.report_id = ANY($1::uuid[]) AND p.status IN ('draft', 'published')`,
    [reportIds],
  );
  return new Set(rows.map((r) => r.report_id));
}

/** A commune's crew by id. */
export async function findCrew(
  db: Queryable,
  communeId: number,
  crewId: number,
): Promise<CrewRow | undefined> {
  return (await listCrews(db, communeId)).find((c) => c.id === crewId);
}

/** What a stop shows of its report, by report id (for previews, before any stop row exists). */
export async function reportSummaries(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, StopRow['report']>> {
  const { rows } = await db.query<{
    id: string;
    code: string;
    label_fr: string;
    label_en: string;
    icon: string;
    lat: number;
    lon: number;
    description: string | null;
    priority: Priority;
    status: ReportStatus;
    has_photo: boolean;
  }>(
    `SELECT r.id, ca.code, ca.label_fr, ca.label_en, ca.icon, ST_Y(r.location::geometry) AS lat,
            ST_X(r.location::geometry) AS lon, r.description, r.priority, r.status,
            EXISTS (SELECT 1 FROM photos p WHERE p.report_id = r.id) AS has_photo
       FROM reports r JOIN categories ca ON ca.id = r.category_id WHERE r.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        category: { code: r.code, labelFr: r.label_fr, labelEn: r.label_en, icon: r.icon },
        lat: r.lat,
        lon: r.lon,
        description: r.description,
        priority: r.priority,
        status: r.status,
        hasPhoto: r.has_photo,
      },
    ]),
  );
}
