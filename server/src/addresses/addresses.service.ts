import type { Pool } from 'pg';
import type { AddressesAnswer, AddressesQuery } from '../contract/addresses';
import { withTransaction, type Queryable } from '../db';
import { NotFoundError } from '../errors';
import { findCommuneBySlug } from '../communes/communes.repo';
import { parseBanHeader, parseBanLine } from './addresses.ban';
import * as repo from './addresses.repo';

/** Addresses written per statement during an import. */
const BATCH = 1000;

/** Address suggestions for what a person typed (public: addresses are public data). */
export async function suggest(db: Queryable, q: AddressesQuery): Promise<AddressesAnswer> {
  const commune = await findCommuneBySlug(db, q.commune);
  if (!commune) throw NotFoundError('commune_not_found', `No commune "${q.commune}".`);
  return { items: await repo.searchAddresses(db, commune.id, q.q, q.limit) };
}

/** What an import did. */
export interface ImportResult {
  /** Addresses of the commune written (new or updated). */
  imported: number;
  /** Lines of other communes (a département file holds them all). */
  otherCommunes: number;
  /** Lines that could not be read, with the first few reasons. */
  invalid: number;
  firstErrors: string[];
  /** Reports whose place name changed with the new addresses. */
  reportsRenamed: number;
}

/**
 * Imports a Base Adresse Nationale CSV for one commune (its lines are picked out by INSEE code),
 * in one transaction: a bad file changes nothing. Then renames the commune's reports from the
 * new addresses. `lines` is the file line by line (the CLI streams it from disk).
 */
export async function importBan(
  pool: Pool,
  commune: { id: number; inseeCode: string },
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<ImportResult> {
  return withTransaction(pool, async (tx) => {
    const result: ImportResult = {
      imported: 0,
      otherCommunes: 0,
      invalid: 0,
      firstErrors: [],
      reportsRenamed: 0,
    };
    let header: ReturnType<typeof parseBanHeader> | undefined;
    let batch: repo.NewAddress[] = [];
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      const line = raw.replace(/\r$/, '');
      if (!header) {
        header = parseBanHeader(line);
        continue;
      }
      if (!line.trim()) continue;
      const parsed = parseBanLine(line, header, commune.inseeCode);
      if (parsed.kind === 'other_commune') result.otherCommunes++;
      else if (parsed.kind === 'invalid') {
        result.invalid++;
        if (result.firstErrors.length < 5) result.firstErrors.push(`line ${lineNo}: ${parsed.reason}`);
      } else {
        batch.push(parsed.address);
        if (batch.length >= BATCH) {
          result.imported += await repo.upsertAddresses(tx, commune.id, batch);
          batch = [];
        }
      }
    }
    if (!header) throw new Error('the file is empty');
    result.imported += await repo.upsertAddresses(tx, commune.id, batch);
    result.reportsRenamed = await repo.refreshReportAddresses(tx, commune.id);
    return result;
  });
}
