import type { NewAddress } from './addresses.repo';

/**
 * Reading the Base Adresse Nationale's CSV export (adresse.data.gouv.fr, "adresses-56.csv":
 * `;`-separated, a header line, one address per line). Pure: the caller reads the file line by
 * line, so a whole département (hundreds of thousands of lines) never sits in memory.
 */

/** Columns Vigie reads, by their BAN header names. */
const REQUIRED = ['id', 'numero', 'nom_voie', 'code_postal', 'code_insee', 'lon', 'lat'] as const;

/** BAN writes this number for a lieu-dit that has no numbered addresses. */
const NO_NUMBER = '99999';

/** Where each needed column is, from the header line. */
export type BanHeader = Record<(typeof REQUIRED)[number] | 'rep', number>;

/** Parses the header line; throws with the missing column names when it is not a BAN file. */
export function parseBanHeader(line: string): BanHeader {
  const names = splitLine(line.replace(/^\uFEFF/, '')).map((n) => n.trim().toLowerCase());
  const missing = REQUIRED.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw new Error(`not a BAN addresses CSV: missing column(s) ${missing.join(', ')}`);
  }
  const at = (n: string) => names.indexOf(n);
  return {
    id: at('id'),
    numero: at('numero'),
    rep: at('rep'),
    nom_voie: at('nom_voie'),
    code_postal: at('code_postal'),
    code_insee: at('code_insee'),
    lon: at('lon'),
    lat: at('lat'),
  };
}

/** Splits a `;`-separated line; fields may be double-quoted (with "" for a quote). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** What one data line gave. */
export type BanLine =
  | { kind: 'address'; address: NewAddress }
  /** Another commune's address (a département file holds them all). */
  | { kind: 'other_commune' }
  | { kind: 'invalid'; reason: string };

/**
 * One data line as an address of the commune with this INSEE code. Coordinates must be WGS 84
 * numbers within France's reach; labels are "<number><suffix> <street>", or the street alone
 * for a lieu-dit.
 */
export function parseBanLine(line: string, header: BanHeader, inseeCode: string): BanLine {
  const f = splitLine(line);
  const get = (i: number) => (i >= 0 ? (f[i] ?? '').trim() : '');
  if (get(header.code_insee) !== inseeCode) return { kind: 'other_commune' };
  const street = get(header.nom_voie);
  if (!street || street.length > 200) return { kind: 'invalid', reason: 'street name missing or too long' };
  const lat = Number(get(header.lat));
  const lon = Number(get(header.lon));
  if (!get(header.lat) || !get(header.lon) || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return { kind: 'invalid', reason: 'coordinates missing' };
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return { kind: 'invalid', reason: 'coordinates out of range' };
  const numero = get(header.numero);
  const rep = get(header.rep);
  const housenumber = numero && numero !== NO_NUMBER ? `${numero}${rep ? ` ${rep}` : ''}`.slice(0, 20) : null;
  const postcode = /^[0-9]{5}$/.test(get(header.code_postal)) ? get(header.code_postal) : null;
  const id = get(header.id);
  return {
    kind: 'address',
    address: {
      housenumber,
      street,
      postcode,
      label: housenumber ? `${housenumber} ${street}` : street,
      lat,
      lon,
      sourceId: id ? id.slice(0, 100) : null,
    },
  };
}
