import type { Queryable } from '../db';
import type { CrewView } from '../contract/settings';

/** A crew as admins manage it (members apart). */
export type CrewRow = Omit<CrewView, 'members'>;

interface Row {
  id: number;
  name: string;
  work_types: string[];
  working_minutes: number;
  speed_kmh: number;
  active: boolean;
}

const toCrew = (r: Row): CrewRow => ({
  id: r.id,
  name: r.name,
  workTypes: r.work_types,
  workingMinutes: r.working_minutes,
  speedKmh: r.speed_kmh,
  active: r.active,
});

/** Every crew of a commune, active ones first, by name. */
export async function listCommuneCrews(db: Queryable, communeId: number): Promise<CrewRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT id, name, work_types, working_minutes, speed_kmh, active FROM crews
      WHERE commune_id = $1 ORDER BY active DESC, name, id`,
    [communeId],
  );
  return rows.map(toCrew);
}

/** A crew of a commune by id (another commune's: undefined, like a missing one). */
export async function findCommuneCrew(
  db: Queryable,
  communeId: number,
  crewId: number,
  forUpdate = false,
): Promise<CrewRow | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT id, name, work_types, working_minutes, speed_kmh, active FROM crews
      WHERE commune_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [communeId, crewId],
  );
  return rows[0] && toCrew(rows[0]);
}

/** Whether another crew of the commune has this name (names are unique per commune). */
export async function crewNameTaken(
  db: Queryable,
  communeId: number,
  name: string,
  exceptId: number | null,
): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM crews WHERE commune_id = $1 AND name = $2 AND ($3::int IS NULL OR id <> $3)',
    [communeId, name, exceptId],
  );
  return rows.length > 0;
}

/** Writes a crew's fields (the service merges the change into the current row). */
export async function updateCrew(db: Queryable, id: number, c: Omit<CrewRow, 'id'>): Promise<void> {
  await db.query(
    `UPDATE crews SET name = $2, work_types = $3, working_minutes = $4, speed_kmh = $5, active = $6 WHERE id = $1`,
    [id, c.name, c.workTypes, c.workingMinutes, c.speedKmh, c.active],
  );
}

/** A member of a crew. */
export interface CrewMemberRow {
  crewId: number;
  id: string;
  email: string;
}

/**
 * Members of some crews of a commune, by email. Only people who still hold a role in the
 * commune: someone whose roles there were revoked no longer shows (nor sees its rounds).
 */
export async function listMembers(
  db: Queryable,
  communeId: number,
  crewIds: readonly number[],
): Promise<CrewMemberRow[]> {
  const { rows } = await db.query<{ crew_id: number; id: string; email: string }>(
    `SELECT m.crew_id, u.id, u.email FROM crew_members m JOIN users u ON u.id = m.user_id
      WHERE m.crew_id = ANY($2::int[])
        AND EXISTS (SELECT 1 FROM user_roles g WHERE g.user_id = u.id AND g.commune_id = $1)
      ORDER BY u.email`,
    [communeId, crewIds],
  );
  return rows.map((r) => ({ crewId: r.crew_id, id: r.id, email: r.email }));
}

/** Adds a member (idempotent); true when they were not in the crew yet. */
export async function addMember(
  db: Queryable,
  crewId: number,
  userId: string,
  addedBy: string | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO crew_members (crew_id, user_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [crewId, userId, addedBy],
  );
  return (rowCount ?? 0) > 0;
}

/** Removes a member (idempotent); true when they were in the crew. */
export async function removeMember(db: Queryable, crewId: number, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM crew_members WHERE crew_id = $1 AND user_id = $2', [
    crewId,
    userId,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The crews of these communes a user belongs to (their "today" list puts those rounds first). */
export async function crewIdsOfUser(
  db: Queryable,
  userId: string,
  communeIds: readonly number[],
): Promise<number[]> {
  const { rows } = await db.query<{ crew_id: number }>(
    `SELECT m.crew_id FROM crew_members m JOIN crews k ON k.id = m.crew_id
      WHERE m.user_id = $1 AND k.commune_id = ANY($2::int[]) ORDER BY m.crew_id`,
    [userId, communeIds],
  );
  return rows.map((r) => r.crew_id);
}
