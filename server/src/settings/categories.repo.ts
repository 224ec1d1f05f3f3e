import type { Queryable } from '../db';
import type { Priority } from '../contract/common';
import type { AdminCategoryView, CreateCategoryBody } from '../contract/settings';

/** A category as stored, with the number of reports that use it. */
export interface AdminCategoryRow extends AdminCategoryView {
  id: number;
}

interface Row {
  id: number;
  code: string;
  label_fr: string;
  label_en: string;
  icon: string;
  work_type: string;
  default_service_minutes: number;
  default_priority: Priority;
  active: boolean;
  position: number;
  reports: number;
}

const SELECT = `
  SELECT c.id, c.code, c.label_fr, c.label_en, c.icon, c.work_type, c.default_service_minutes,
         c.default_priority, c.active, c.position,
         (SELECT count(*)::int FROM reports r WHERE r.category_id = c.id) AS reports
    FROM categories c`;

function toView(r: Row): AdminCategoryRow {
  return {
    id: r.id,
    code: r.code,
    labelFr: r.label_fr,
    labelEn: r.label_en,
    icon: r.icon,
    workType: r.work_type,
    defaultServiceMinutes: r.default_service_minutes,
    defaultPriority: r.default_priority,
    active: r.active,
    position: r.position,
    reports: r.reports,
  };
}

/** Every category of a commune, active or not, in the residents' grid order. */
export async function listCategories(db: Queryable, communeId: number): Promise<AdminCategoryRow[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE c.commune_id = $1 ORDER BY c.position, c.id`, [
    communeId,
  ]);
  return rows.map(toView);
}

/** A category of a commune by code; locked when `forUpdate` (inside a transaction). */
export async function findCategory(
  db: Queryable,
  communeId: number,
  code: string,
  forUpdate = false,
): Promise<AdminCategoryRow | undefined> {
  // FOR UPDATE cannot lock a row read with an aggregate subquery: lock first, then read.
  if (forUpdate)
    await db.query('SELECT id FROM categories WHERE commune_id = $1 AND code = $2 FOR UPDATE', [
      communeId,
      code,
    ]);
  const { rows } = await db.query<Row>(`${SELECT} WHERE c.commune_id = $1 AND c.code = $2`, [
    communeId,
    code,
  ]);
  return rows[0] && toView(rows[0]);
}

/** Adds a category at the end of the grid; undefined when the code is taken in this commune. */
export async function insertCategory(
  db: Queryable,
  communeId: number,
  c: CreateCategoryBody,
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO categories (commune_id, code, label_fr, label_en, icon, work_type, default_service_minutes,
                             default_priority, active, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             (SELECT coalesce(max(position) + 1, 0) FROM categories WHERE commune_id = $1))
     ON CONFLICT (commune_id, code) DO NOTHING
     RETURNING id`,
    [
      communeId,
      c.code,
      c.labelFr,
      c.labelEn,
      c.icon,
      c.workType,
      c.defaultServiceMinutes,
      c.defaultPriority,
      c.active,
    ],
  );
  return rows[0]?.id;
}

/** The editable fields of a category. */
export type CategoryFields = Pick<
  AdminCategoryView,
  | 'code'
  | 'labelFr'
  | 'labelEn'
  | 'icon'
  | 'workType'
  | 'defaultServiceMinutes'
  | 'defaultPriority'
  | 'active'
  | 'position'
>;

/** Writes a category's fields (all of them: the service merges the change into the current row). */
export async function updateCategory(db: Queryable, id: number, c: CategoryFields): Promise<void> {
  await db.query(
    `UPDATE categories SET code = $2, label_fr = $3, label_en = $4, icon = $5, work_type = $6,
            default_service_minutes = $7, default_priority = $8, active = $9, position = $10
      WHERE id = $1`,
    [
      id,
      c.code,
      c.labelFr,
      c.labelEn,
      c.icon,
      c.workType,
      c.defaultServiceMinutes,
      c.defaultPriority,
      c.active,
      c.position,
    ],
  );
}

/** Deletes a category no report uses. */
export async function deleteCategory(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM categories WHERE id = $1', [id]);
}

/** Whether another category of the commune has this code. */
export async function codeTaken(
  db: Queryable,
  communeId: number,
  code: string,
  exceptId: number,
): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM categories WHERE commune_id = $1 AND code = $2 AND id <> $3',
    [communeId, code, exceptId],
  );
  return rows.length > 0;
}

/** Active categories of a commune other than `exceptId` (a commune needs at least one). */
export async function countOtherActive(db: Queryable, communeId: number, exceptId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM categories WHERE commune_id = $1 AND active AND id <> $2',
    [communeId, exceptId],
  );
  return rows[0]!.n;
}

/** Work types the commune's categories and crews name. */
export async function workTypesInUse(db: Queryable, communeId: number): Promise<string[]> {
  const { rows } = await db.query<{ w: string }>(
    `SELECT work_type AS w FROM categories WHERE commune_id = $1
     UNION SELECT unnest(work_types) FROM crews WHERE commune_id = $1
     ORDER BY 1`,
    [communeId],
  );
  return rows.map((r) => r.w);
}
