import crypto from 'node:crypto';
import type { Pool } from 'pg';
import sharp from 'sharp';
import type { Logger } from 'pino';
import type { ReportStatus } from '../contract/common';
import { withTransaction } from '../db';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.processing';
import type { PhotoStore } from '../photos/photos.store';
import * as plans from '../plans/plans.repo';
import * as reports from '../reports/reports.repo';
import { nearestAddress, refreshReportAddresses, upsertAddresses } from '../addresses/addresses.repo';
import { demoAddresses } from './demo.addresses';
import { DEFAULT_CATEGORIES } from './communes.defaults';
import * as repo from './communes.repo';

/**
 * Saint-Nolff (Morbihan, INSEE 56231, about 3,800 inhabitants, 26 km² of bocage east of
 * Vannes): the demo commune. The boundary is a simplified, plausible outline of the commune
 * (not the cadastral one); the depot stands near the bourg.
 */
export const DEMO_COMMUNE = {
  slug: 'saint-nolff',
  name: 'Saint-Nolff',
  inseeCode: '56231',
  depot: { lat: 47.703, lon: -2.648 },
  boundary: {
    type: 'Polygon',
    coordinates: [
      [
        [-2.6922, 47.711],
        [-2.6838, 47.721],
        [-2.6687, 47.7269],
        [-2.6519, 47.7286],
        [-2.636, 47.7252],
        [-2.6208, 47.7194],
        [-2.6108, 47.7101],
        [-2.6082, 47.7],
        [-2.615, 47.6908],
        [-2.6267, 47.6849],
        [-2.6418, 47.6824],
        [-2.6586, 47.6841],
        [-2.6738, 47.6874],
        [-2.6864, 47.6942],
        [-2.6948, 47.7017],
        [-2.6922, 47.711],
      ],
    ],
  },
} as const;

const DEMO_META_KEY = 'demo_seeded';
const DEMO_CREWS_META_KEY = 'demo_crews_seeded';
const DEMO_ADDRESSES_META_KEY = 'demo_addresses_seeded';

/** The demo commune's two crews and its asphalt plant (every pothole round starts there). */
const DEMO_CREWS = [
  { name: 'Équipe voirie', workTypes: [], workingMinutes: 450, speedKmh: 35 },
  {
    name: 'Équipe espaces verts',
    workTypes: ['green', 'cleaning', 'drainage', 'general'],
    workingMinutes: 420,
    speedKmh: 30,
  },
];
const DEMO_SUPPLY = {
  workType: 'asphalt',
  name: "Centrale d'enrobés de Tréhardet",
  lat: 47.6912,
  lon: -2.7084,
  serviceMinutes: 25,
};
const DEMO_REPORTS = 40;

/** What the demo reports say, per category (French: the demo commune is French). */
const DESCRIPTIONS: Record<string, string[]> = {
  pothole: [
    'Gros trou dans la chaussée, dangereux pour les vélos',
    'Nid-de-poule devant le n° 12',
    'Trou profond au bord de la route',
  ],
  road_surface: ['Enrobé qui se décolle sur 10 m', 'Chaussée fissurée après les pluies'],
  street_light: ['Lampadaire éteint depuis une semaine', 'Éclairage qui clignote la nuit'],
  sign: ['Panneau stop tordu', 'Panneau de limitation de vitesse tombé'],
  fallen_tree: ['Branche en travers du chemin', 'Arbre penché sur la route après la tempête'],
  blocked_drain: ["Avaloir bouché, l'eau stagne", 'Fossé plein de feuilles'],
  illegal_dumping: ['Sacs de déchets déposés au bord du chemin', 'Gravats abandonnés près du bois'],
  other: ['Muret abîmé le long de la route'],
};
const MIX = [
  'pothole',
  'pothole',
  'pothole',
  'road_surface',
  'street_light',
  'sign',
  'pothole',
  'blocked_drain',
  'fallen_tree',
  'illegal_dumping',
  'road_surface',
  'other',
];
const STATUSES: ReportStatus[] = ['new', 'new', 'new', 'acknowledged', 'new', 'acknowledged', 'fixed', 'new'];

/** A small, deterministic PRNG (mulberry32): the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An illustrative photo per category (a drawing, not a real photo of anyone's street). */
async function demoPhoto(code: string, label: string): Promise<ProcessedPhoto> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="#6b6f73"/>
    <rect y="560" width="1200" height="340" fill="#3f4347"/>
    <rect x="560" y="700" width="80" height="20" fill="#e8e8e8"/>
    <ellipse cx="600" cy="640" rx="210" ry="70" fill="#2a2a2a"/>
    <text x="600" y="300" font-family="sans-serif" font-size="72" fill="#ffffff" text-anchor="middle">${label}</text>
    <text x="600" y="390" font-family="sans-serif" font-size="40" fill="#dddddd" text-anchor="middle">Vigie · démo · ${code}</text>
  </svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  return processPhoto(jpeg, 'photos[0]');
}

/**
 * Seeds the demo commune, its categories and 40 reports, once per installation: the fact is
 * recorded in app_meta, so a town hall that deletes the demo does not see it come back.
 */
export async function seedDemo(pool: Pool, photos: PhotoStore, log: Pick<Logger, 'info'>): Promise<boolean> {
  await seedDemoAddresses(pool);
  const seeded = await seedDemoReports(pool, photos, log);
  await seedDemoCrews(pool);
  return seeded;
}

/**
 * The demo commune's addresses, once (installations seeded before addresses existed get them
 * too, and their demo reports are named after them).
 */
async function seedDemoAddresses(pool: Pool): Promise<void> {
  if (await repo.getMeta(pool, DEMO_ADDRESSES_META_KEY)) return;
  const seededBefore = Boolean(await repo.getMeta(pool, DEMO_META_KEY));
  const commune = await repo.findCommuneBySlug(pool, DEMO_COMMUNE.slug);
  await withTransaction(pool, async (tx) => {
    // A new installation: the commune is created with its reports just after.
    if (!commune && !seededBefore) return;
    if (commune) {
      await upsertAddresses(tx, commune.id, demoAddresses());
      await refreshReportAddresses(tx, commune.id);
    }
    await repo.setMeta(tx, DEMO_ADDRESSES_META_KEY, { at: new Date().toISOString() });
  });
}

/** Crews and the asphalt plant of the demo commune, once (installations seeded before crews existed get them too). */
async function seedDemoCrews(pool: Pool): Promise<void> {
  if (await repo.getMeta(pool, DEMO_CREWS_META_KEY)) return;
  const commune = await repo.findCommuneBySlug(pool, DEMO_COMMUNE.slug);
  await withTransaction(pool, async (tx) => {
    if (commune) {
      for (const crew of DEMO_CREWS) await plans.insertCrew(tx, commune.id, crew);
      await plans.upsertSupplyPoint(tx, commune.id, DEMO_SUPPLY);
    }
    await repo.setMeta(tx, DEMO_CREWS_META_KEY, { at: new Date().toISOString() });
  });
}

async function seedDemoReports(pool: Pool, photos: PhotoStore, log: Pick<Logger, 'info'>): Promise<boolean> {
  if (await repo.getMeta(pool, DEMO_META_KEY)) return false;
  if (await repo.findCommuneBySlug(pool, DEMO_COMMUNE.slug)) {
    await repo.setMeta(pool, DEMO_META_KEY, { at: new Date().toISOString(), skipped: 'commune exists' });
    return false;
  }
  const pictures = new Map<string, ProcessedPhoto>();
  for (const c of DEFAULT_CATEGORIES) {
    const p = await demoPhoto(c.code, c.labelFr);
    await photos.put(p);
    pictures.set(c.code, p);
  }
  const rand = prng(56231);
  const now = Date.now();
  await withTransaction(pool, async (tx) => {
    const communeId = await repo.insertCommune(tx, DEMO_COMMUNE);
    await repo.insertCategories(tx, communeId, DEFAULT_CATEGORIES);
    const categories = await repo.listActiveCategories(tx, communeId);
    const addresses = demoAddresses();
    await upsertAddresses(tx, communeId, addresses);
    // Defects are found along roads: each demo report is within 20 m of an address.
    const points = Array.from({ length: DEMO_REPORTS }, () => {
      const a = addresses[Math.floor(rand() * addresses.length)]!;
      return { lat: a.lat + (rand() - 0.5) * 0.00036, lon: a.lon + (rand() - 0.5) * 0.00054 };
    });
    const tokenHash = crypto.createHash('sha256').update('vigie-demo-reporter').digest();
    for (const [i, pt] of points.entries()) {
      const code = MIX[i % MIX.length]!;
      const category = categories.find((c) => c.code === code)!;
      const texts = DESCRIPTIONS[code] ?? [''];
      const status = STATUSES[i % STATUSES.length]!;
      const receivedAt = new Date(now - Math.floor(rand() * 45 * 86_400_000)).toISOString();
      const id = crypto.createHash('sha256').update(`demo-${i}`).digest('hex');
      const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20, 32)}`;
      const picture = pictures.get(code)!;
      await reports.insertReport(tx, {
        id: uuid,
        communeId,
        categoryId: category.id,
        lat: pt.lat,
        lon: pt.lon,
        accuracy: Math.round(4 + rand() * 20),
        locationSource: rand() < 0.8 ? 'gps' : 'manual',
        description: texts[i % texts.length] ?? null,
        priority: i % 13 === 0 ? 'danger' : category.defaultPriority,
        capturedAt: receivedAt,
        reporterTokenHash: tokenHash,
        contactEmail: null,
        contentHash: crypto.createHash('sha256').update(uuid).digest(),
        status,
        receivedAt,
        // Fixed some hours to a few days later (never in the future): the statistics' time to fix.
        ...(status === 'fixed'
          ? {
              closedAt: new Date(
                Math.min(now, Date.parse(receivedAt) + (6 + ((i * 37) % 150)) * 3_600_000),
              ).toISOString(),
            }
          : {}),
        address: await nearestAddress(tx, communeId, pt.lat, pt.lon),
      });
      await reports.insertPhotos(tx, uuid, [
        {
          position: 1,
          sha256: picture.sha256,
          width: picture.width,
          height: picture.height,
          bytes: picture.bytes,
        },
      ]);
      const base = { reportId: uuid, communeId, actorId: null } as const;
      await reports.insertEvent(tx, {
        ...base,
        actorKind: 'reporter',
        action: 'created',
        fromStatus: null,
        toStatus: 'new',
        at: receivedAt,
      });
      if (status !== 'new') {
        await reports.insertEvent(tx, {
          ...base,
          actorKind: 'system',
          action: 'status_changed',
          fromStatus: 'new',
          toStatus: status,
          data: { demo: true },
          at: new Date(Date.parse(receivedAt) + 86_400_000).toISOString(),
        });
      }
    }
    await repo.setMeta(tx, DEMO_META_KEY, { at: new Date().toISOString(), communeId });
    await repo.setMeta(tx, DEMO_ADDRESSES_META_KEY, { at: new Date().toISOString() });
  });
  log.info({ commune: DEMO_COMMUNE.name, reports: DEMO_REPORTS }, 'demo commune seeded');
  return true;
}
