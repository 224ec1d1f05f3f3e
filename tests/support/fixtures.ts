import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { DEFAULT_CATEGORIES } from '../../server/src/communes/communes.defaults';
import { insertCategories, insertCommune, type NewCommune } from '../../server/src/communes/communes.repo';

/** The shared fixtures folder beside the repository (real phone and camera photos). */
export const PHOTOS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/fixtures/photos',
);

/** A random reporter token, as a device would keep. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** A square commune of about 2 km around a point, with the default categories; unique slug and INSEE code. */
export async function createTestCommune(
  pool: Pool,
  centre: { lat: number; lon: number },
): Promise<{ id: number; slug: string; centre: { lat: number; lon: number } }> {
  const d = 0.01;
  const slug = `test-${crypto.randomBytes(5).toString('hex')}`;
  const { lat, lon } = centre;
  const id = await insertWithFreshInsee(pool, (inseeCode) => ({
    slug,
    name: `Test ${slug}`,
    inseeCode,
    boundary: {
      type: 'Polygon',
      coordinates: [
        [
          [lon - d, lat - d],
          [lon + d, lat - d],
          [lon + d, lat + d],
          [lon - d, lat + d],
          [lon - d, lat - d],
        ],
      ],
    },
    depot: centre,
  }));
  await insertCategories(pool, id, DEFAULT_CATEGORIES);
  return { id, slug, centre };
}

/** A centre far from other test communes (random spot in the Atlantic-free part of France). */
export function randomCentre(): { lat: number; lon: number } {
  return { lat: 43 + Math.random() * 6, lon: -1 + Math.random() * 7 };
}

/** INSEE codes are unique and the space is small: retry on the rare collision between test communes. */
async function insertWithFreshInsee(pool: Pool, make: (insee: string) => NewCommune): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertCommune(pool, make(String(10000 + crypto.randomInt(89999))));
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt > 5) throw err;
    }
  }
}

/** The id of the demo commune (Saint-Nolff) a server seeded on its first start. */
export async function demoCommuneId(base: string): Promise<number> {
  const communes = (await (await fetch(`${base}/api/communes`)).json()) as Array<{
    id: number;
    name: string;
  }>;
  const demo = communes.find((c) => c.name === 'Saint-Nolff');
  if (!demo) throw new Error('the demo commune Saint-Nolff is not seeded');
  return demo.id;
}
