import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTransaction } from '../../../server/src/db';
import { acquireLease, releaseLease } from '../../../server/src/retention/retention.repo';
import { RETENTION_JOB } from '../../../server/src/retention/retention.service';
import { transitionReport } from '../../../server/src/reports/reports.transitions';
import { runAdminHere } from '../../support/admin-cli';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { newEmail } from '../../support/staff';

let srv: TestServer;
let pool: pg.Pool;
let uploads: string;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let reportId: string;
const env = () => ({ DATABASE_URL: inject('databaseUrl'), UPLOADS_DIR: uploads });

beforeAll(async () => {
  srv = await startTestServer();
  pool = srv.pool;
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-retention-cli-'));
  commune = await createTestCommune(pool, randomCentre());
  const r = await sendReport(srv.url, {
    token: newToken(),
    fields: reportFields(commune.centre, { contactEmail: newEmail('resident') }),
  });
  reportId = r.id;
  await withTransaction(pool, (tx) =>
    transitionReport(tx, {
      reportId,
      to: 'fixed',
      actor: { kind: 'system', id: null },
      action: 'status_changed',
    }),
  );
  await pool.query(`UPDATE reports SET closed_at = now() - interval '400 days' WHERE id = $1`, [reportId]);
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(uploads, { recursive: true, force: true });
});

const contact = async () =>
  (await pool.query('SELECT contact_email FROM reports WHERE id = $1', [reportId])).rows[0].contact_email as
    string | null;

describe('npm run admin -- retention:run / mail:status', () => {
  it('mail:status counts the queue', async () => {
    const out = await runAdminHere(['mail:status'], { env: env() });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^\d+ email\(s\) queued, \d+ sent, \d+ failed\.\n$/);
  });

  it('--dry-run prints the counts and changes nothing', async () => {
    const out = await runAdminHere(['retention:run', '--commune', commune.slug, '--dry-run'], { env: env() });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      `${commune.slug}: would change (dry run, nothing changed): 1 contact(s) erased, 1 email(s) deleted`,
    );
    expect(await contact()).not.toBeNull();
  });

  it('a real run prints the same counts and erases the contact', async () => {
    const out = await runAdminHere(['retention:run', '--commune', commune.slug], { env: env() });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`${commune.slug}: changed: 1 contact(s) erased, 1 email(s) deleted`);
    expect(await contact()).toBeNull();
    const again = await runAdminHere(['retention:run', '--commune', commune.slug], { env: env() });
    expect(again.stdout).toContain(`${commune.slug}: changed: 0 contact(s) erased, 0 email(s) deleted`);
  });

  it('refuses while another run holds the lease, an unknown commune, and wrong usage', async () => {
    const holder = crypto.randomUUID();
    expect(await acquireLease(pool, RETENTION_JOB, holder, new Date(), 60_000)).toBe(true);
    try {
      const busy = await runAdminHere(['retention:run', '--commune', commune.slug], { env: env() });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('a retention run is already in progress');
    } finally {
      await releaseLease(pool, RETENTION_JOB, holder, null);
    }
    const unknown = await runAdminHere(['retention:run', '--commune', 'nowhere'], { env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no commune with slug "nowhere"');
    const usage = await runAdminHere(['retention:run', '--email', 'x@y.z'], { env: env() });
    expect(usage.code).toBe(2);
  });
});
