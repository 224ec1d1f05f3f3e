import type { ReportFilter } from '../contract/filters';

/**
 * Turns the shared report filter into SQL conditions on `reports` (alias `r`), for every query
 * that works on "a filtered list": the staff list, its map clusters, exports and statistics.
 * Each condition is written so that an index serves it (see db/migrations): trigram indexes for
 * text and address, GiST on `location::geometry` for areas and rectangles.
 */

/** Which communes the caller may see (decided by the auth policy) and how their days are counted. */
export interface FilterScope {
  /** 'all' only for superadmins. */
  communeIds: 'all' | readonly number[];
  /** Time zone of the days in `from` / `to` (the commune's). */
  timezone: string;
}

/** Adds a query parameter and returns its placeholder (`$n`). */
export type Arg = (value: unknown) => string;

/** A filter ready for SQL: the parsed filter without the commune slug, which the scope replaced. */
export type ScopedFilter = Omit<ReportFilter, 'commune'> & FilterScope;

/** The WHERE conditions (joined with AND by the caller) for a scoped filter; never empty. */
export function filterConditions(f: ScopedFilter, arg: Arg): string[] {
  const where: string[] = [];
  if (f.communeIds !== 'all') where.push(`r.commune_id = ANY(${arg(f.communeIds)}::int[])`);
  if (f.status) where.push(`r.status = ANY(${arg(f.status)}::text[])`);
  if (f.category)
    where.push(`r.category_id IN (SELECT id FROM categories WHERE code = ANY(${arg(f.category)}::text[]))`);
  if (f.priority) where.push(`r.priority = ANY(${arg(f.priority)}::text[])`);
  if (f.from || f.to) {
    const tz = arg(f.timezone);
    // Days are the commune's: from its local midnight to the next one.
    if (f.from) where.push(`r.received_at >= (${arg(f.from)}::date)::timestamp AT TIME ZONE ${tz}`);
    if (f.to) where.push(`r.received_at < (${arg(f.to)}::date + 1)::timestamp AT TIME ZONE ${tz}`);
  }
  if (f.q) {
    // The expression of the trigram index reports_text_trgm_idx, so the index serves it.
    const text = `vigie_normalise(coalesce(r.address, '') || ' ' || coalesce(r.description, '')) LIKE '%' || vigie_normalise(${arg(f.q)}) || '%'`;
    where.push(
      /^[0-9a-f-]{8,36}$/i.test(f.q) ? `(${text} OR r.id::text LIKE ${arg(f.q.toLowerCase())} || '%')` : text,
    );
  }
  if (f.address)
    where.push(`vigie_normalise(r.address) LIKE '%' || vigie_normalise(${arg(f.address)}) || '%'`);
  if (f.area)
    where.push(
      `ST_Intersects(r.location::geometry, ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${arg(JSON.stringify(f.area))}), 4326)))`,
    );
  if (f.bbox) {
    const b = f.bbox;
    where.push(
      `r.location::geometry && ST_MakeEnvelope(${arg(b.minLon)}, ${arg(b.minLat)}, ${arg(b.maxLon)}, ${arg(b.maxLat)}, 4326)`,
    );
  }
  if (where.length === 0) where.push('true');
  return where;
}

/** A parameter list and its `arg` function, for building a query around `filterConditions`. */
export function queryArgs(): { args: unknown[]; arg: Arg } {
  const args: unknown[] = [];
  return {
    args,
    arg: (v) => {
      args.push(v);
      return `$${args.length}`;
    },
  };
}
