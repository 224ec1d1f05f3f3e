import type { NewAddress } from '../addresses/addresses.repo';

/**
 * Addresses of the demo commune (Saint-Nolff, 56250): streets of the bourg and the roads out of
 * it, numbered every 30 m or so (odd on one side, even on the other), and the lieux-dits of the
 * countryside. Plausible, not the Base Adresse Nationale's: a real installation imports that
 * (`npm run admin -- addresses:import`). Deterministic, so the demo is the same everywhere.
 */

const POSTCODE = '56250';

/** A street as a polyline [lat, lon][] and how far apart its numbers are, metres. */
const STREETS: Array<{ name: string; line: Array<[number, number]>; spacing?: number }> = [
  {
    name: "Rue de l'Église",
    line: [
      [47.704, -2.654],
      [47.7046, -2.6495],
    ],
  },
  {
    name: "Place de l'Église",
    line: [
      [47.7041, -2.6525],
      [47.7045, -2.6512],
    ],
    spacing: 20,
  },
  {
    name: 'Rue de la Mairie',
    line: [
      [47.7046, -2.6518],
      [47.7068, -2.651],
    ],
  },
  {
    name: 'Rue des Écoles',
    line: [
      [47.703, -2.653],
      [47.701, -2.656],
    ],
  },
  {
    name: 'Rue du Stade',
    line: [
      [47.702, -2.648],
      [47.6995, -2.644],
    ],
  },
  {
    name: 'Route de Vannes',
    line: [
      [47.704, -2.656],
      [47.703, -2.67],
      [47.701, -2.685],
    ],
    spacing: 60,
  },
  {
    name: "Route d'Elven",
    line: [
      [47.705, -2.648],
      [47.712, -2.63],
      [47.716, -2.618],
    ],
    spacing: 60,
  },
  {
    name: 'Route de Treffléan',
    line: [
      [47.702, -2.647],
      [47.695, -2.633],
      [47.69, -2.622],
    ],
    spacing: 60,
  },
  {
    name: 'Route de Monterblanc',
    line: [
      [47.706, -2.654],
      [47.716, -2.66],
      [47.724, -2.665],
    ],
    spacing: 60,
  },
  {
    name: 'Rue de Bretagne',
    line: [
      [47.7055, -2.656],
      [47.708, -2.659],
    ],
  },
  {
    name: 'Allée des Chênes',
    line: [
      [47.7, -2.651],
      [47.6985, -2.6525],
    ],
    spacing: 20,
  },
  {
    name: 'Rue du Moulin',
    line: [
      [47.7065, -2.647],
      [47.709, -2.643],
    ],
  },
  {
    name: 'Impasse des Lilas',
    line: [
      [47.7015, -2.6545],
      [47.7008, -2.6552],
    ],
    spacing: 20,
  },
  {
    name: 'Rue de la Gare',
    line: [
      [47.7035, -2.646],
      [47.7052, -2.6405],
    ],
  },
];

/** Lieux-dits: a few numbered houses around a point. */
const HAMLETS: Array<{ name: string; at: [number, number]; houses: number }> = [
  { name: 'Kerbois', at: [47.715, -2.675], houses: 6 },
  { name: 'Le Gréo', at: [47.69, -2.66], houses: 5 },
  { name: 'Bézidel', at: [47.72, -2.64], houses: 4 },
  { name: 'Kerdavid', at: [47.695, -2.64], houses: 6 },
  { name: 'Le Guernevé', at: [47.71, -2.62], houses: 5 },
  { name: 'Kerguen', at: [47.687, -2.672], houses: 4 },
  { name: 'Lesnevé', at: [47.723, -2.655], houses: 5 },
  { name: 'Botcouarch', at: [47.7, -2.688], houses: 3 },
  { name: "Kerroc'h", at: [47.707, -2.684], houses: 4 },
  { name: 'Trévelo', at: [47.694, -2.618], houses: 5 },
  { name: 'Le Cosquer', at: [47.717, -2.628], houses: 4 },
  { name: 'Kervily', at: [47.686, -2.647], houses: 4 },
  { name: 'Saint-Colombier', at: [47.697, -2.668], houses: 6 },
  { name: 'Kerhervé', at: [47.712, -2.664], houses: 4 },
];

const M_PER_DEG_LAT = 111_320;
const mPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

/** Points every `spacing` metres along a polyline, each with the unit normal to its left. */
function alongLine(line: Array<[number, number]>, spacing: number) {
  const out: Array<{ lat: number; lon: number; nLat: number; nLon: number }> = [];
  let carry = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [lat0, lon0] = line[i]!;
    const [lat1, lon1] = line[i + 1]!;
    const k = mPerDegLon(lat0);
    const dy = (lat1 - lat0) * M_PER_DEG_LAT;
    const dx = (lon1 - lon0) * k;
    const len = Math.hypot(dx, dy);
    for (let d = carry; d <= len; d += spacing) {
      const t = d / len;
      out.push({
        lat: lat0 + (lat1 - lat0) * t,
        lon: lon0 + (lon1 - lon0) * t,
        nLat: dx / len,
        nLon: -dy / len,
      });
      carry = d + spacing - len;
    }
  }
  return out;
}

/** The demo commune's addresses. */
export function demoAddresses(): NewAddress[] {
  const out: NewAddress[] = [];
  const add = (housenumber: string | null, street: string, lat: number, lon: number) =>
    out.push({
      housenumber,
      street,
      postcode: POSTCODE,
      label: housenumber ? `${housenumber} ${street}` : street,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      sourceId: `demo-${out.length + 1}`,
    });
  for (const s of STREETS) {
    const points = alongLine(s.line, s.spacing ?? 30);
    points.forEach((p, i) => {
      // Odd numbers on the left of the direction of travel, even on the right, 12 m from the axis.
      for (const side of [1, -1] as const) {
        const n = 2 * i + (side === 1 ? 1 : 2);
        const off = 12 * side;
        add(
          String(n),
          s.name,
          p.lat + (p.nLat * off) / M_PER_DEG_LAT,
          p.lon + (p.nLon * off) / mPerDegLon(p.lat),
        );
      }
    });
  }
  for (const h of HAMLETS) {
    for (let i = 0; i < h.houses; i++) {
      const angle = (2 * Math.PI * i) / h.houses;
      const r = 40 + 15 * (i % 3);
      add(
        String(i + 1),
        h.name,
        h.at[0] + (r * Math.sin(angle)) / M_PER_DEG_LAT,
        h.at[1] + (r * Math.cos(angle)) / mPerDegLon(h.at[0]),
      );
    }
  }
  return out;
}
