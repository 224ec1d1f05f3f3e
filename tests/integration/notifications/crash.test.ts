import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedUrl } from '../../../server/src/db/embedded';
import { withTransaction } from '../../../server/src/db';
import { transitionReport } from '../../../server/src/reports/reports.transitions';
import { startEmbeddedServer } from '../../support/admin-cli';
import { seedFromTemplate } from '../../support/db-global-setup';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { TestSmtpServer } from '../../support/smtp';
import { newEmail } from '../../support/staff';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('a server killed while sending a notification email', () => {
  it('sends it after the restart: the email is never lost', { timeout: 480_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-mail-crash-'));
    dirs.push(dataDir);
    seedFromTemplate(dataDir); // skips initdb when the embedded test runs left a migrated template
    const smtp = await TestSmtpServer.start();
    smtp.behaviour = 'hang'; // takes the message and never answers: the server is killed mid-send
    const env = { SMTP_URL: smtp.url, PUBLIC_URL: 'https://vigie.example.fr', LOG_LEVEL: 'warn' };
    // A first start creates the embedded database (initdb, PostGIS): slow on a busy machine.
    let server = await startEmbeddedServer(dataDir, env, 240_000);
    let pool = new pg.Pool({ connectionString: publishedUrl(dataDir), max: 2 });
    const email = newEmail('resident');
    try {
      const commune = await createTestCommune(pool, randomCentre());
      const sent = await sendReport(server.url, {
        token: newToken(),
        fields: reportFields(commune.centre, { contactEmail: email }),
      });
      expect(sent.status).toBe(201);
      await withTransaction(pool, (tx) =>
        transitionReport(tx, {
          reportId: sent.id,
          to: 'fixed',
          actor: { kind: 'system', id: null },
          action: 'status_changed',
        }),
      );
      await expect.poll(() => smtp.hanging, { timeout: 30_000 }).toBe(1);
      await pool.end().catch(() => {});
      await server.stop('SIGKILL');

      smtp.behaviour = 'accept';
      server = await startEmbeddedServer(dataDir, env, 120_000);
      pool = new pg.Pool({ connectionString: publishedUrl(dataDir), max: 2 });
      await expect.poll(() => smtp.to(email).length, { timeout: 60_000 }).toBe(1);
      const { rows } = await pool.query('SELECT status, attempts FROM email_outbox WHERE report_id = $1', [
        sent.id,
      ]);
      expect(rows).toEqual([{ status: 'sent', attempts: 2 }]);
      expect(server.output()).not.toMatch(/SMTP_URL is not set/);
    } finally {
      await pool.end().catch(() => {});
      await server.stop();
      await smtp.stop();
    }
  });
});
