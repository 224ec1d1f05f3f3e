import type { Pool } from 'pg';
import type {
  AdminCategoriesAnswer,
  AdminCategoryView,
  CreateCategoryBody,
  CreateCrewBody,
  CrewView,
  DepotView,
  UpdateCategoryBody,
  UpdateCrewBody,
  WorkingHoursBody,
} from '../contract/settings';
import { clockToMinutes, minutesToClock, SUGGESTED_WORK_TYPES } from '../contract/settings';
import { withTransaction, type Queryable } from '../db';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import { insertAudit, type AuditEntry } from '../audit/audit.repo';
import { insertCrew } from '../plans/plans.repo';
import { findCommuneUser } from '../users/users.repo';
import * as categories from './categories.repo';
import * as crews from './crews.repo';
import * as operations from './operations.repo';

/**
 * A commune's settings, for its admins: categories, depot, working hours, crews and their
 * members. Every change is audited in the same transaction, with what changed.
 */

/** Who makes a change, for the audit log (from the request). */
export type Actor = Pick<AuditEntry, 'actorKind' | 'actorUserId' | 'requestId' | 'ip'>;

const categoryNotFound = () => NotFoundError('category_not_found', 'Category not found.');
const crewNotFound = () => NotFoundError('crew_not_found', 'Crew not found.');

async function audit(
  db: Queryable,
  actor: Actor,
  communeId: number,
  action: string,
  object: { type: string; id: string },
  data: Record<string, unknown>,
): Promise<void> {
  await insertAudit(db, {
    ...actor,
    communeId,
    action,
    outcome: 'success',
    objectType: object.type,
    objectId: object.id,
    data,
  });
}

/** The fields that differ between two versions of an object, as {field: {from, to}}. */
function changes<T extends object>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out[String(k)] = { from: before[k], to: after[k] };
  }
  return out;
}

const publicCategory = ({ id: _id, ...rest }: categories.AdminCategoryRow): AdminCategoryView => rest;

/** Every category of the commune, and the work types to suggest. */
export async function listCategories(db: Queryable, communeId: number): Promise<AdminCategoriesAnswer> {
  const [items, inUse] = await Promise.all([
    categories.listCategories(db, communeId),
    categories.workTypesInUse(db, communeId),
  ]);
  return {
    items: items.map(publicCategory),
    workTypes: [...new Set([...inUse, ...SUGGESTED_WORK_TYPES])].sort(),
  };
}

/** Adds a category (409 `category_code_taken` when the code exists in the commune, even inactive). */
export async function createCategory(
  pool: Pool,
  actor: Actor,
  communeId: number,
  body: CreateCategoryBody,
): Promise<AdminCategoryView> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const id = await categories.insertCategory(tx, communeId, body);
    if (id === undefined)
      throw ConflictError(
        `The code ${body.code} is already used by a category of this commune (perhaps an inactive one).`,
        'category_code_taken',
        'code',
      );
    const created = (await categories.findCategory(tx, communeId, body.code))!;
    await audit(
      tx,
      actor,
      communeId,
      'category_created',
      { type: 'category', id: body.code },
      {
        category: publicCategory(created),
      },
    );
    return publicCategory(created);
  });
}

/**
 * Changes a category. The code can change only while no report uses it (reports and phones
 * carry it); a commune always keeps at least one active category.
 */
export async function updateCategory(
  pool: Pool,
  actor: Actor,
  communeId: number,
  code: string,
  body: UpdateCategoryBody,
): Promise<AdminCategoryView> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const current = await categories.findCategory(tx, communeId, code, true);
    if (!current) throw categoryNotFound();
    const next: categories.CategoryFields = {
      code: body.code ?? current.code,
      labelFr: body.labelFr ?? current.labelFr,
      labelEn: body.labelEn ?? current.labelEn,
      icon: body.icon ?? current.icon,
      workType: body.workType ?? current.workType,
      defaultServiceMinutes: body.defaultServiceMinutes ?? current.defaultServiceMinutes,
      defaultPriority: body.defaultPriority ?? current.defaultPriority,
      active: body.active ?? current.active,
      position: body.position ?? current.position,
    };
    if (next.code !== current.code) {
      if (current.reports > 0)
        throw ConflictError(
          `Reports use the code ${current.code}: it cannot change. Rename the labels, or deactivate this category and add another.`,
          'category_code_in_use',
          'code',
        );
      if (await categories.codeTaken(tx, communeId, next.code, current.id))
        throw ConflictError(
          `The code ${next.code} is already used in this commune.`,
          'category_code_taken',
          'code',
        );
    }
    if (
      current.active &&
      !next.active &&
      (await categories.countOtherActive(tx, communeId, current.id)) === 0
    )
      throw ConflictError(
        'This is the last active category: residents would have nothing to choose. Add or activate another first.',
        'last_active_category',
        'active',
      );
    const { reports: _r, id: _id, ...before } = current;
    const changed = changes(before, next);
    if (Object.keys(changed).length === 0) return publicCategory(current);
    await categories.updateCategory(tx, current.id, next);
    await audit(
      tx,
      actor,
      communeId,
      'category_updated',
      { type: 'category', id: next.code },
      {
        code: current.code,
        changes: changed,
      },
    );
    return publicCategory((await categories.findCategory(tx, communeId, next.code))!);
  });
}

/** Deletes a category that no report uses (409 `category_in_use` otherwise: deactivate it). */
export async function deleteCategory(
  pool: Pool,
  actor: Actor,
  communeId: number,
  code: string,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const current = await categories.findCategory(tx, communeId, code, true);
    if (!current) throw categoryNotFound();
    if (current.reports > 0)
      throw ConflictError(
        `${current.reports} report(s) use this category: deactivate it instead, so their history stays.`,
        'category_in_use',
      );
    if (current.active && (await categories.countOtherActive(tx, communeId, current.id)) === 0)
      throw ConflictError(
        'This is the last active category: residents would have nothing to choose. Add or activate another first.',
        'last_active_category',
      );
    await categories.deleteCategory(tx, current.id);
    await audit(
      tx,
      actor,
      communeId,
      'category_deleted',
      { type: 'category', id: code },
      {
        category: publicCategory(current),
      },
    );
  });
}

/** The depot, the boundary and its box. */
export async function getDepot(db: Queryable, communeId: number): Promise<DepotView> {
  return (await operations.getDepot(db, communeId))!;
}

/** Moves the depot (422 `depot_outside_commune` for a point outside the boundary). */
export async function moveDepot(
  pool: Pool,
  actor: Actor,
  communeId: number,
  to: { lat: number; lon: number },
): Promise<DepotView> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const before = (await operations.getDepot(tx, communeId))!;
    if (!(await operations.setDepot(tx, communeId, to.lat, to.lon)))
      throw UnprocessableError(
        'This point is outside the commune: place the depot inside its boundary.',
        'depot_outside_commune',
        'lat',
      );
    await audit(
      tx,
      actor,
      communeId,
      'depot_moved',
      { type: 'commune', id: String(communeId) },
      {
        from: before.depot,
        to,
      },
    );
    return (await operations.getDepot(tx, communeId))!;
  });
}

/** When the crews' day starts. */
export async function getWorkingHours(db: Queryable, communeId: number): Promise<WorkingHoursBody> {
  return { dayStart: minutesToClock((await operations.getDayStart(db, communeId))!) };
}

/** Sets when the crews' day starts. */
export async function setWorkingHours(
  pool: Pool,
  actor: Actor,
  communeId: number,
  body: WorkingHoursBody,
): Promise<WorkingHoursBody> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const before = minutesToClock((await operations.getDayStart(tx, communeId))!);
    if (before !== body.dayStart) {
      await operations.setDayStart(tx, communeId, clockToMinutes(body.dayStart));
      await audit(
        tx,
        actor,
        communeId,
        'working_hours_changed',
        { type: 'commune', id: String(communeId) },
        {
          dayStart: { from: before, to: body.dayStart },
        },
      );
    }
    return { dayStart: body.dayStart };
  });
}

/** The commune's crews; with their members when `withMembers` (admins). */
export async function listCrews(db: Queryable, communeId: number, withMembers: boolean): Promise<CrewView[]> {
  const list = await crews.listCommuneCrews(db, communeId);
  if (!withMembers) return list;
  const members = await crews.listMembers(
    db,
    communeId,
    list.map((c) => c.id),
  );
  return list.map((c) => ({
    ...c,
    members: members.filter((m) => m.crewId === c.id).map((m) => ({ id: m.id, email: m.email })),
  }));
}

async function crewView(db: Queryable, communeId: number, crewId: number): Promise<CrewView> {
  return (await listCrews(db, communeId, true)).find((c) => c.id === crewId)!;
}

const nameTaken = (name: string) =>
  ConflictError(`A crew of this commune is already called ${name}.`, 'crew_name_taken', 'name');

/** Adds a crew. */
export async function createCrew(
  pool: Pool,
  actor: Actor,
  communeId: number,
  body: CreateCrewBody,
): Promise<CrewView> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    if (await crews.crewNameTaken(tx, communeId, body.name, null)) throw nameTaken(body.name);
    const id = await insertCrew(tx, communeId, body);
    const created = await crewView(tx, communeId, id);
    await audit(
      tx,
      actor,
      communeId,
      'crew_created',
      { type: 'crew', id: String(id) },
      {
        crew: {
          name: created.name,
          workTypes: created.workTypes,
          workingMinutes: created.workingMinutes,
          speedKmh: created.speedKmh,
        },
      },
    );
    return created;
  });
}

/** Changes a crew (an inactive crew is no longer planned; its rounds stay). */
export async function updateCrew(
  pool: Pool,
  actor: Actor,
  communeId: number,
  crewId: number,
  body: UpdateCrewBody,
): Promise<CrewView> {
  return withTransaction(pool, async (tx) => {
    await operations.lockCommune(tx, communeId);
    const current = await crews.findCommuneCrew(tx, communeId, crewId, true);
    if (!current) throw crewNotFound();
    const { id: _id, ...before } = current;
    const next = {
      name: body.name ?? current.name,
      workTypes: body.workTypes ?? current.workTypes,
      workingMinutes: body.workingMinutes ?? current.workingMinutes,
      speedKmh: body.speedKmh ?? current.speedKmh,
      active: body.active ?? current.active,
    };
    if (next.name !== current.name && (await crews.crewNameTaken(tx, communeId, next.name, crewId)))
      throw nameTaken(next.name);
    const changed = changes(before, next);
    if (Object.keys(changed).length > 0) {
      await crews.updateCrew(tx, crewId, next);
      await audit(
        tx,
        actor,
        communeId,
        'crew_updated',
        { type: 'crew', id: String(crewId) },
        { changes: changed },
      );
    }
    return crewView(tx, communeId, crewId);
  });
}

/**
 * Adds or removes a member of a crew. The user must hold a role in the commune (someone of
 * another commune answers 404, like a missing user). Idempotent.
 */
export async function setMember(
  pool: Pool,
  actor: Actor,
  communeId: number,
  crewId: number,
  userId: string,
  member: boolean,
): Promise<CrewView> {
  return withTransaction(pool, async (tx) => {
    const crew = await crews.findCommuneCrew(tx, communeId, crewId, true);
    if (!crew) throw crewNotFound();
    const user = await findCommuneUser(tx, communeId, userId);
    if (!user) throw NotFoundError('user_not_found', 'User not found.');
    const changed = member
      ? await crews.addMember(tx, crewId, userId, actor.actorUserId ?? null)
      : await crews.removeMember(tx, crewId, userId);
    if (changed)
      await audit(
        tx,
        actor,
        communeId,
        member ? 'crew_member_added' : 'crew_member_removed',
        { type: 'crew', id: String(crewId) },
        { userId, crew: crew.name },
      );
    return crewView(tx, communeId, crewId);
  });
}
