import type { Request } from 'express';
import type { Pool } from 'pg';
import type { ReportFilter } from '../contract/filters';
import type { ExportFormat } from '../contract/exports';
import { auditRequest } from '../audit/audit.service';
import { communesWhere, type Principal } from '../auth/policy';
import { AuthorizationError } from '../errors';
import { scopeFilter } from '../reports/reports.scope';
import type { ScopedFilter } from '../reports/reports.filter.repo';
import { localToday } from '../stats/stats.repo';
import {
  csvHeader,
  csvRow,
  GEOJSON_HEAD,
  GEOJSON_SEPARATOR,
  GEOJSON_TAIL,
  geojsonFeature,
  type ExportRow,
} from './exports.format';
import * as repo from './exports.repo';

/** What exports need from the outside world. */
export interface ExportsDeps {
  pool: Pool;
  /** The clock (the date in the file name). */
  now: () => Date;
  /** Reports read per query; 1000 when absent. */
  batchSize?: number;
}

/** An export ready to stream: the audit entry is written, the first batch read. */
export interface PreparedExport {
  filename: string;
  contentType: string;
  /** Reports matching the filter when the export started. */
  rows: number;
  /** Whether the file has the reporters' contact column. */
  withContact: boolean;
  /** The file, chunk by chunk; read it once. */
  body: AsyncIterable<string>;
}

const FORMATS: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  geojson: { contentType: 'application/geo+json; charset=utf-8', extension: 'geojson' },
};

/**
 * The communes of the scope whose reporters' contact data the caller may export: admins' (and
 * superadmins') only. Supervisors read a reporter's email report by report, never in bulk.
 */
function contactScope(p: Principal, f: ScopedFilter): 'all' | number[] {
  const allowed = communesWhere(p, 'reports:export_contact');
  if (allowed === 'all') return 'all';
  const scope = f.communeIds;
  return scope === 'all' ? allowed : allowed.filter((id) => scope.includes(id));
}

/** One audit entry per commune whose reports are exported (so each commune's admins see it). */
async function auditExport(
  deps: ExportsDeps,
  req: Request,
  f: ScopedFilter,
  counts: Array<{ communeId: number; count: number }>,
  data: Record<string, unknown>,
  outcome: 'success' | 'failure',
): Promise<void> {
  const ids = f.communeIds === 'all' ? counts.map((c) => c.communeId) : f.communeIds;
  const targets: Array<number | null> = ids.length > 0 ? [...ids] : [null];
  for (const communeId of targets) {
    await auditRequest(deps.pool, req, {
      action: 'export',
      outcome,
      communeId,
      objectType: 'reports',
      objectId: null,
      data: { ...data, reports: counts.find((c) => c.communeId === communeId)?.count ?? 0 },
    });
  }
}

/**
 * Starts an export of the filtered list (the same filter, hence the same reports, as the
 * staff list): scoped to the communes where the caller may export (403 when nowhere, 404 for a
 * commune that is not theirs), audited with the filter and the row count before the first
 * byte, streamed in keyset batches. A failure or an abandoned download is audited too.
 */
export async function prepareExport(
  deps: ExportsDeps,
  req: Request,
  p: Principal,
  filter: ReportFilter,
  format: ExportFormat,
): Promise<PreparedExport> {
  const scoped = await scopeFilter(deps.pool, req, p, filter, 'reports:export');
  if (!scoped) throw AuthorizationError('Exports are for supervisors and admins.');
  const f = scoped;
  const contact = contactScope(p, f);
  const withContact = contact === 'all' || contact.length > 0;
  const batchSize = deps.batchSize ?? 1000;
  const [counts, today, first] = await Promise.all([
    repo.countByCommune(deps.pool, f),
    localToday(deps.pool, f.timezone, deps.now()),
    repo.exportBatch(deps.pool, f, contact, undefined, batchSize),
  ]);
  const rows = counts.reduce((n, c) => n + c.count, 0);
  let name = `${f.communeIds === 'all' ? 'toutes' : f.communeIds.length}-communes`;
  if (f.communeIds !== 'all' && f.communeIds.length === 1) {
    const id = f.communeIds[0]!;
    name = (await repo.communeSlugs(deps.pool, [id])).get(id) ?? name;
  }
  const audited = { format, filter: { ...req.query }, contact: withContact };
  await auditExport(deps, req, f, counts, audited, 'success');

  const write = format === 'csv' ? csvRow : geojsonFeature;
  async function* body(): AsyncGenerator<string> {
    let sent = 0;
    let complete = false;
    try {
      yield format === 'csv' ? csvHeader(withContact) : GEOJSON_HEAD;
      let batch: Array<ExportRow & { key: repo.ExportKey }> = first;
      for (;;) {
        let chunk = '';
        for (const r of batch) {
          if (format === 'geojson' && sent > 0) chunk += GEOJSON_SEPARATOR;
          chunk += write(r, withContact);
          sent++;
        }
        if (chunk) yield chunk;
        const last = batch[batch.length - 1];
        if (batch.length < batchSize || !last) break;
        batch = await repo.exportBatch(deps.pool, f, contact, last.key, batchSize);
      }
      if (format === 'geojson') yield GEOJSON_TAIL;
      complete = true;
    } finally {
      if (!complete)
        await auditExport(deps, req, f, counts, { ...audited, written: sent }, 'failure').catch(
          () => undefined,
        );
    }
  }

  return {
    filename: `vigie-${name}-${today}.${FORMATS[format].extension}`,
    contentType: FORMATS[format].contentType,
    rows,
    withContact,
    body: body(),
  };
}
