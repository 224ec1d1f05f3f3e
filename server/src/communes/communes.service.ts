import type { Queryable } from '../db';
import type { CategoriesAnswer, CommuneView } from '../contract/communes';
import { NotFoundError } from '../errors';
import * as repo from './communes.repo';

/** Public list of communes. */
export function listCommunes(db: Queryable): Promise<CommuneView[]> {
  return repo.listCommunes(db);
}

/** The categories a resident can pick at a point: those of the commune containing it. */
export async function categoriesAt(db: Queryable, lat: number, lon: number): Promise<CategoriesAnswer> {
  const commune = await repo.findCommuneContaining(db, lat, lon);
  if (!commune) {
    throw NotFoundError(
      'outside_communes',
      'This place is not in a commune served by Vigie. Check the location on the map.',
    );
  }
  const categories = await repo.listActiveCategories(db, commune.id);
  return {
    commune,
    categories: categories.map((c) => ({
      code: c.code,
      labelFr: c.labelFr,
      labelEn: c.labelEn,
      icon: c.icon,
      workType: c.workType,
      defaultPriority: c.defaultPriority,
    })),
  };
}
