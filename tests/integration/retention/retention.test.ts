import crypto from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../server/src/db';
import { insertCrew } from '../../../server/src/plans/plans.repo';
import * as plans from '../../../server/src/plans/plans.service';
import { insertEvent } from '../../../server/src/reports/reports.repo';
import { acquireLease, releaseLease } from '../../../server/src/retention/retention.repo';
import { RetentionScheduler } from '../../../server/src/retention/retention.scheduler';
import {
  RETENTION_JOB,
  RetentionBusyError,
  runRetention,
  zeroCounts,
} from '../../../server/src/retention/retention.service';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { auditRows, newEmail } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
const NOW = new Date();
const monthsAgo = (n: number) => new Date(NOW.getTime() - n * 30.5 * 86_400_000);

/** A unique JPEG (content-addressed storage: a shared photo would stay referenced by other reports). */
async function uniqueJpeg(): Promise<Buffer> {
  const [r, g, b] = [...crypto.randomBytes(3)];
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: r!, g: g!, b: b! } } })
    .jpeg()
    .toBuffer();
}

interface Fixture {
  id: string;
  token: string;
  email: string;
  sha: string;
}

/** A report with an email and its own photo, closed (fixed, with a reason and a note) at `closedAt`. */
async function closedReport(closedAt: Date | null, c = commune, inRound = false): Promise<Fixture> {
  const token = newToken();
  const email = newEmail('resident');
  const r = await sendReport(srv.url, {
    token,
    fields: reportFields(
      { lat: c.centre.lat + 0.0012345, lon: c.centre.lon - 0.0054321 },
      { contactEmail: email, description: 'Trou devant chez M. Dupont, 06 12 34 56 78' },
    ),
    files: [{ data: await uniqueJpeg() }],
  });
  expect(r.status).toBe(201);
  const { rows } = await srv.pool.query('SELECT sha256 FROM photos WHERE report_id = $1', [r.id]);
  await srv.pool.query(
    `UPDATE reports SET address = '12 bis Rue de la Mairie', public_description = 'Trou signalé devant le 12' WHERE id = $1`,
    [r.id],
  );
  const fixture = { id: r.id, token, email, sha: rows[0].sha256 as string };
  if (inRound) await withStop(fixture);
  if (closedAt) {
    await withTransaction(srv.pool, async (tx) => {
      const { transitionReport } = await import('../../../server/src/reports/reports.transitions');
      await transitionReport(tx, {
        reportId: r.id,
        to: 'fixed',
        actor: { kind: 'system', id: null },
        action: 'status_changed',
        reason: 'Réparé, merci Mme Martin',
        data: { note: 'Appelé Mme Martin au 06 98 76 54 32' },
      });
    });
    await insertEvent(srv.pool, {
      reportId: r.id,
      communeId: c.id,
      actorKind: 'staff',
      actorId: null,
      action: 'public_update',
      fromStatus: null,
      toStatus: null,
      data: { text: 'Réparé le 3 mars' },
    });
    // An email was sent (with its unsubscribe token), as the worker leaves them.
    await srv.pool.query(
      `UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = 1 WHERE report_id = $1`,
      [r.id],
    );
    await srv.pool.query('INSERT INTO email_unsubscribe_tokens (token_hash, report_id) VALUES ($1, $2)', [
      crypto.randomBytes(32),
      r.id,
    ]);
    await srv.pool.query('UPDATE reports SET closed_at = $2 WHERE id = $1', [r.id, closedAt]);
  }
  return fixture;
}

/** Puts a report in a published round with a crew note and an after-photo (its own photo's file). */
async function withStop(f: Fixture): Promise<void> {
  const crewId = await insertCrew(srv.pool, commune.id, {
    name: `Voirie ${crypto.randomBytes(3).toString('hex')}`,
    workTypes: [],
    workingMinutes: 480,
    speedKmh: 30,
  });
  const actor = { userId: 'fixture', communeIds: [commune.id] };
  const svc = { pool: srv.pool, photos: srv.photos };
  await plans.save(svc, actor, {
    communeId: commune.id,
    date: '2021-12-01',
    plans: [{ crewId, workType: 'asphalt', reportIds: [f.id] }],
  });
  await srv.pool.query(
    `UPDATE plan_stops SET note = 'Le voisin, M. Durand, a garé sa voiture dessus', after_photo_sha256 = $2 WHERE report_id = $1`,
    [f.id, f.sha],
  );
}

const report = async (id: string) =>
  (
    await srv.pool.query(
      `SELECT contact_email, contact_locale, notifications_stopped_at, description, public_description, status_reason,
              address, accuracy_m, anonymised_at, reporter_token_hash,
              ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon,
              (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photos,
              (SELECT count(*)::int FROM email_outbox o WHERE o.report_id = r.id) AS emails,
              (SELECT count(*)::int FROM email_unsubscribe_tokens t WHERE t.report_id = r.id) AS tokens,
              (SELECT json_agg(data ORDER BY id) FROM report_events e WHERE e.report_id = r.id) AS events,
              (SELECT json_agg(json_build_object('note', note, 'after', after_photo_sha256)) FROM plan_stops s WHERE s.report_id = r.id) AS stops
         FROM reports r WHERE id = $1`,
      [id],
    )
  ).rows[0] as Record<string, unknown> & { events: Array<Record<string, unknown>> };

const run = (dryRun: boolean) =>
  runRetention(
    { pool: srv.pool, photos: srv.photos, now: () => NOW, batchSize: 2 },
    {
      commune: commune.slug,
      dryRun,
      actorKind: 'cli',
    },
  );

let recent: Fixture;
let yearOld: Fixture;
let yearOld2: Fixture;
let old: Fixture;
let old2: Fixture;
let open: Fixture;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  recent = await closedReport(monthsAgo(11));
  yearOld = await closedReport(monthsAgo(13));
  yearOld2 = await closedReport(monthsAgo(30));
  old = await closedReport(monthsAgo(61), commune, true);
  old2 = await closedReport(monthsAgo(100));
  open = await closedReport(null);
  await srv.pool.query(`UPDATE reports SET received_at = now() - interval '8 years' WHERE id = $1`, [
    open.id,
  ]);
});
afterAll(async () => {
  await srv?.close();
});

describe('retention job (runRetention)', () => {
  let dry: Awaited<ReturnType<typeof run>>;
  let before: Record<string, unknown>[];

  it('dry run: counts what the real run will change, and changes nothing', async () => {
    before = await Promise.all([recent, yearOld, yearOld2, old, old2, open].map((f) => report(f.id)));
    dry = await run(true);
    expect(dry).toHaveLength(1);
    expect(dry[0]!.counts).toEqual({
      contactsErased: 4,
      emailsDeleted: 8, // the fixed and public_update emails of the 4 reports
      tokensDeleted: 4,
      reportsAnonymised: 2,
      eventsRedacted: 4, // the status change (note, reason) and public update (text) of 2 reports
      photosDeleted: 2,
      stopsCleared: 1,
      filesDeleted: 2,
    });
    const after = await Promise.all([recent, yearOld, yearOld2, old, old2, open].map((f) => report(f.id)));
    expect(after).toEqual(before);
    for (const f of [old, old2]) expect(fs.existsSync(srv.photos.path(f.sha, 'full'))).toBe(true);
  });

  it('real run: the same counts as the dry run', async () => {
    const real = await run(false);
    expect(real[0]!.counts).toEqual(dry[0]!.counts);
    expect(real[0]!.cutoffs).toEqual(dry[0]!.cutoffs);
  });

  it('leaves reports closed less than 12 months ago, and open reports however old, as they were', async () => {
    expect(await report(recent.id)).toEqual(before[0]);
    expect(await report(open.id)).toEqual(before[5]);
    expect((await report(recent.id)).contact_email).toBe(recent.email);
  });

  it('removes the contact data of reports closed 12 months ago: address, emails, unsubscribe links; keeps the rest', async () => {
    for (const [f, b] of [
      [yearOld, before[1]],
      [yearOld2, before[2]],
    ] as const) {
      const r = await report(f.id);
      expect(r).toMatchObject({ contact_email: null, contact_locale: null, emails: 0, tokens: 0 });
      expect(r).toMatchObject({
        description: b!.description,
        address: '12 bis Rue de la Mairie',
        photos: 1,
        lat: b!.lat,
        anonymised_at: null,
      });
    }
  });

  it('anonymises reports closed 5 years ago: rounded location, street only, texts, photos and files gone, history redacted, unlinked from the phone', async () => {
    const r = await report(old.id);
    const b = before[3]!;
    expect(r).toMatchObject({
      contact_email: null,
      emails: 0,
      tokens: 0,
      description: null,
      public_description: null,
      status_reason: null,
      address: 'Rue de la Mairie',
      photos: 0,
      accuracy_m: 100,
    });
    expect(r.anonymised_at).toBeInstanceOf(Date);
    expect(r.lat).toBeCloseTo(Math.round((b.lat as number) * 1000) / 1000, 9);
    expect(r.lon).toBeCloseTo(Math.round((b.lon as number) * 1000) / 1000, 9);
    expect(r.lat).not.toBe(b.lat);
    expect(r.stops).toEqual([{ note: null, after: null }]);
    expect(fs.existsSync(srv.photos.path(old.sha, 'full'))).toBe(false);
    expect(fs.existsSync(srv.photos.path(old.sha, 'thumb'))).toBe(false);
    const text = JSON.stringify(r.events);
    for (const secret of ['Martin', '06 98', 'Réparé le 3 mars', 'Dupont', 'Durand'])
      expect(text).not.toContain(secret);
    expect(r.events).toContainEqual({ redacted: true });
    expect(r.events[0]).toMatchObject({ category: 'pothole', photos: 1 }); // nothing personal: untouched
    expect((r.reporter_token_hash as Buffer).equals(before[3]!.reporter_token_hash as Buffer)).toBe(false);
    // The phone no longer finds it in "my reports", nor its photos.
    const mine = await fetch(`${srv.url}/api/reports/mine`, { headers: { 'X-Reporter-Token': old.token } });
    expect(((await mine.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const snapshot = await Promise.all([recent, yearOld, yearOld2, old, old2, open].map((f) => report(f.id)));
    const again = await run(false);
    expect(again[0]!.counts).toEqual(zeroCounts());
    expect(await Promise.all([recent, yearOld, yearOld2, old, old2, open].map((f) => report(f.id)))).toEqual(
      snapshot,
    );
  });

  it('writes every run to the audit log with its counts, without contact data', async () => {
    const rows = await auditRows(srv.pool, { action: 'retention_run', objectId: commune.slug });
    expect(rows.map((r) => (r.data as { dryRun: boolean }).dryRun)).toEqual([true, false, false]);
    expect(rows.map((r) => (r.data as { counts: { contactsErased: number } }).counts.contactsErased)).toEqual(
      [4, 4, 0],
    );
    expect(rows[0]).toMatchObject({ actor_kind: 'cli', commune_id: commune.id, outcome: 'success' });
  });

  it('runs one at a time: a run while another holds the lease is refused', async () => {
    const holder = crypto.randomUUID();
    expect(await acquireLease(srv.pool, RETENTION_JOB, holder, new Date(), 60_000)).toBe(true);
    try {
      await expect(run(true)).rejects.toBeInstanceOf(RetentionBusyError);
    } finally {
      await releaseLease(srv.pool, RETENTION_JOB, holder, null);
    }
    await expect(run(true)).resolves.toHaveLength(1);
  });
});

describe('RetentionScheduler', () => {
  it('runs the job when no complete run happened in the last day, then not again the same day', async () => {
    const fresh = await createTestCommune(srv.pool, randomCentre());
    const f = await closedReport(monthsAgo(14), fresh);
    await srv.pool.query(
      `UPDATE job_leases SET last_finished_at = now() - interval '2 days' WHERE name = $1`,
      [RETENTION_JOB],
    );
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    const scheduler = new RetentionScheduler({ pool: srv.pool, photos: srv.photos, log });
    expect(await scheduler.tick()).toBe(true);
    expect((await report(f.id)).contact_email).toBeNull();
    expect(await scheduler.tick()).toBe(false);
    const audit = await auditRows(srv.pool, { action: 'retention_run', objectId: fresh.slug });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'system' });
  });
});

describe('report_events: append-only, with one narrow exception for the retention job', () => {
  let eventId: string;
  beforeAll(async () => {
    const f = await closedReport(monthsAgo(1));
    const { rows } = await srv.pool.query(
      `SELECT id FROM report_events WHERE report_id = $1 AND data ? 'note' ORDER BY id LIMIT 1`,
      [f.id],
    );
    eventId = rows[0].id as string;
  });
  const attempt = (sql: string, redaction: boolean) =>
    withTransaction(srv.pool, async (tx) => {
      if (redaction) await tx.query(`SELECT set_config('vigie.retention_redaction', 'on', true)`);
      await tx.query(sql, [eventId]);
      throw new Error('rolled back: it worked');
    });

  it('refuses the redaction itself without the job’s setting', async () => {
    await expect(
      attempt(`UPDATE report_events SET data = (data - 'note') || '{"redacted": true}' WHERE id = $1`, false),
    ).rejects.toThrow(/append-only/);
  });

  it('allows, with the setting, an UPDATE that only removes keys from data and marks it redacted', async () => {
    await expect(
      attempt(`UPDATE report_events SET data = (data - 'note') || '{"redacted": true}' WHERE id = $1`, true),
    ).rejects.toThrow('rolled back: it worked');
  });

  it.each([
    ['changing another column', `UPDATE report_events SET action = 'note' WHERE id = $1`],
    [
      'changing the date',
      `UPDATE report_events SET at = now() - interval '1 day', data = data || '{"redacted": true}' WHERE id = $1`,
    ],
    ['adding data', `UPDATE report_events SET data = data || '{"redacted": true, "x": 1}' WHERE id = $1`],
    [
      'rewriting a value',
      `UPDATE report_events SET data = jsonb_set(data, '{note}', '"autre"') || '{"redacted": true}' WHERE id = $1`,
    ],
    ['removing without marking', `UPDATE report_events SET data = data - 'note' WHERE id = $1`],
    ['deleting', 'DELETE FROM report_events WHERE id = $1'],
  ])('still refuses %s, even with the setting', async (_what, sql) => {
    await expect(attempt(sql, true)).rejects.toThrow(/append-only/);
  });

  it('still refuses TRUNCATE with the setting', async () => {
    await expect(
      withTransaction(srv.pool, async (tx) => {
        await tx.query(`SELECT set_config('vigie.retention_redaction', 'on', true)`);
        await tx.query('TRUNCATE report_events CASCADE');
      }),
    ).rejects.toThrow(/append-only/);
  });
});

describe('audit_log holds no contact data', () => {
  it('names no resident email after erasures, unsubscriptions and retention runs, and stays append-only', async () => {
    const { rows } = await srv.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE data::text ~* $1 OR object_id ~* $1`,
      ['@test\\.example'],
    );
    // Staff accounts are test.example too: only their creation names them by id, never by address.
    expect(rows[0].n).toBe(0);
    const emails = [recent, yearOld, yearOld2, old, old2, open].map((f) => f.email);
    const all = (await srv.pool.query('SELECT data::text AS d, object_id FROM audit_log')).rows as Array<{
      d: string;
      object_id: string | null;
    }>;
    for (const e of emails) expect(all.some((r) => r.d.includes(e) || r.object_id === e)).toBe(false);
    await expect(
      withTransaction(srv.pool, async (tx) => {
        await tx.query(`SELECT set_config('vigie.retention_redaction', 'on', true)`);
        await tx.query(`UPDATE audit_log SET data = '{}' WHERE id = (SELECT max(id) FROM audit_log)`);
      }),
    ).rejects.toThrow(/append-only/);
  });
});
