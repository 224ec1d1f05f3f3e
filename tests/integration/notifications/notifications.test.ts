import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { withTransaction } from '../../../server/src/db';
import { createSmtpSender, type MailSender } from '../../../server/src/notifications/notifications.mailer';
import { claimDue } from '../../../server/src/notifications/notifications.repo';
import {
  hashUnsubscribeToken,
  MailWorker,
  type MailWorkerDeps,
} from '../../../server/src/notifications/notifications.worker';
import { insertEvent } from '../../../server/src/reports/reports.repo';
import { transitionReport } from '../../../server/src/reports/reports.transitions';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { TestSmtpServer } from '../../support/smtp';
import { auditRows, call, createStaff, newEmail, signIn } from '../../support/staff';

let srv: TestServer;
let smtp: TestSmtpServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
/** The workers' fake clock: ahead of the database's, moved forward by the tests. */
let clock = Date.now() + 5_000;
const now = () => new Date(clock);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const workers: MailWorker[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  smtp = await TestSmtpServer.start();
  commune = await createTestCommune(srv.pool, randomCentre());
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await smtp?.stop();
  await srv?.close();
});
beforeEach(() => {
  smtp.behaviour = 'accept';
  clock += 10_000;
});

function worker(over: Partial<MailWorkerDeps> = {}): MailWorker {
  const w = new MailWorker({
    pool: srv.pool,
    sender: createSmtpSender(smtp.url),
    settings: { publicUrl: srv.url, from: 'Mairie de Test <no-reply@mairie.test>' },
    log: quiet,
    now,
    random: () => 0.5,
    ...over,
  });
  workers.push(w);
  return w;
}

/** Runs rounds until the queue has nothing due for this clock (other files' rows included). */
async function drain(w: MailWorker): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await w.runOnce();
    if (r.sent + r.retried + r.failed + r.dropped === 0) return;
  }
}

async function newReport(opts: { email?: string | null; locale?: string } = {}) {
  const email = opts.email === undefined ? newEmail('resident') : opts.email;
  const token = newToken();
  const r = await sendReport(srv.url, {
    token,
    fields: reportFields(commune.centre, {
      ...(email ? { contactEmail: email } : {}),
      ...(opts.locale ? { locale: opts.locale } : {}),
    }),
  });
  expect(r.status).toBe(201);
  return { id: r.id, token, email: email ?? '' };
}

const setStatus = async (id: string, json: Record<string, unknown>) => {
  const res = await call(srv.url, `/api/staff/reports/${id}/status`, { method: 'POST', cookie, json });
  expect(res.status, res.text).toBe(200);
};

const outbox = async (reportId: string) =>
  (
    await srv.pool.query(
      `SELECT o.*, e.action, e.to_status FROM email_outbox o JOIN report_events e ON e.id = o.event_id
        WHERE o.report_id = $1 ORDER BY o.id`,
      [reportId],
    )
  ).rows as Array<{
    id: string;
    event_id: string;
    status: string;
    attempts: number;
    next_attempt_at: Date;
    sent_at: Date | null;
    last_error: string | null;
    action: string;
    to_status: string | null;
  }>;

/** Writes a public update as the moderation screens do (action public_update, public, data {text}). */
async function publicUpdate(reportId: string, text: string): Promise<void> {
  await insertEvent(srv.pool, {
    reportId,
    communeId: commune.id,
    actorKind: 'staff',
    actorId: null,
    action: 'public_update',
    fromStatus: null,
    toStatus: null,
    data: { text },
    public: true,
  });
}

const tokenOf = (link: string | undefined) => /\/unsubscribe\/([A-Za-z0-9_-]{43})>$/.exec(link ?? '')?.[1];

describe('queueing notification emails (trigger on report_events)', () => {
  it('queues exactly one email, in the same transaction, when a report with an email is fixed', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'acknowledged' });
    expect(await outbox(r.id)).toEqual([]);
    await setStatus(r.id, { status: 'fixed' });
    const rows = await outbox(r.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'queued',
      attempts: 0,
      action: 'status_changed',
      to_status: 'fixed',
    });
  });

  it('queues one email for each closing status and public update, none for other entries', async () => {
    const kept = await newReport({ email: null });
    const a = await newReport();
    await setStatus(a.id, { status: 'duplicate', duplicateOf: kept.id });
    const b = await newReport();
    await setStatus(b.id, { status: 'rejected', reason: 'Terrain privé' });
    const c = await newReport();
    await setStatus(c.id, { status: 'not_fixable', reason: 'Route départementale' });
    await setStatus(c.id, { status: 'acknowledged' }); // reopened: no email
    await setStatus(c.id, { status: 'in_progress', note: 'note interne' });
    await publicUpdate(c.id, 'Intervention prévue lundi.');
    expect((await outbox(a.id)).map((o) => o.to_status)).toEqual(['duplicate']);
    expect((await outbox(b.id)).map((o) => o.to_status)).toEqual(['rejected']);
    expect((await outbox(c.id)).map((o) => o.action)).toEqual(['status_changed', 'public_update']);
    expect(await outbox(kept.id)).toEqual([]);
  });

  it('queues nothing for a report without a contact email', async () => {
    const r = await newReport({ email: null });
    await setStatus(r.id, { status: 'fixed' });
    await publicUpdate(r.id, 'Merci');
    expect(await outbox(r.id)).toEqual([]);
  });

  it('loses the email with the entry when the transaction rolls back', async () => {
    const r = await newReport();
    await expect(
      withTransaction(srv.pool, async (tx) => {
        await transitionReport(tx, {
          reportId: r.id,
          to: 'fixed',
          actor: { kind: 'system', id: null },
          action: 'status_changed',
        });
        expect(
          (await tx.query('SELECT count(*)::int AS n FROM email_outbox WHERE report_id = $1', [r.id])).rows[0]
            .n,
        ).toBe(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outbox(r.id)).toEqual([]);
  });

  it('queues an email for a closing entry written by any code path, even plain SQL', async () => {
    const r = await newReport();
    await srv.pool.query(
      `INSERT INTO report_events (report_id, commune_id, actor_kind, action, from_status, to_status)
       VALUES ($1, $2, 'system', 'imported', 'new', 'fixed')`,
      [r.id, commune.id],
    );
    expect(await outbox(r.id)).toHaveLength(1);
  });
});

describe('MailWorker against a real SMTP server', () => {
  it('delivers the email with the one-click unsubscribe headers and the text, marks it sent, never twice', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'fixed', reason: 'Rebouché à l’enrobé' });
    const w = worker();
    await drain(w);
    const mails = smtp.to(r.email);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.from).toBe('no-reply@mairie.test');
    expect(m.subject).toBe(`Votre signalement est réparé — Test ${commune.slug}`);
    expect(m.text).toContain('Bonne nouvelle : le problème que vous avez signalé a été réparé.');
    expect(m.text).toContain('Message de la mairie :\nRebouché à l’enrobé');
    expect(m.text).toContain(`${srv.url}/#/mine/${r.id}`);
    expect(m.text).toContain(`${srv.url}/privacy/${commune.slug}`);
    expect(m.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const token = tokenOf(m.header('list-unsubscribe'));
    expect(token).toBeDefined();
    expect(m.text).toContain(`${srv.url}/unsubscribe/${token}`);
    expect(m.header('auto-submitted')).toBe('auto-generated');
    const [row] = await outbox(r.id);
    expect(m.messageId).toBe(`<vigie-event-${row!.event_id}@mairie.test>`);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row!.sent_at).toBeInstanceOf(Date);
    // Only the token's hash is kept.
    const tokens = await srv.pool.query(
      'SELECT token_hash FROM email_unsubscribe_tokens WHERE report_id = $1',
      [r.id],
    );
    expect(tokens.rows).toHaveLength(1);
    expect(tokens.rows[0].token_hash).not.toEqual(Buffer.from(token!));

    clock += 24 * 3600_000;
    await drain(w);
    expect(smtp.to(r.email)).toHaveLength(1);
  });

  it("writes in the reporter's language, French when unknown", async () => {
    const en = await newReport({ locale: 'en' });
    const unknown = await newReport();
    await setStatus(en.id, { status: 'rejected', reason: 'Private land' });
    await setStatus(unknown.id, { status: 'rejected', reason: 'Terrain privé' });
    await drain(worker());
    expect(smtp.to(en.email)[0]?.subject).toBe(`Your report was rejected — Test ${commune.slug}`);
    expect(smtp.to(en.email)[0]?.text).toContain('Message from the town hall:\nPrivate land');
    expect(smtp.to(unknown.email)[0]?.subject).toBe(`Votre signalement a été rejeté — Test ${commune.slug}`);
  });

  it("tells the duplicates' reporters too when the kept report is fixed: one email per address, none once unsubscribed or reopened", async () => {
    const kept = await newReport();
    const dup = await newReport();
    const sameAddress = await newReport({ email: kept.email }); // the kept report's resident, twice
    const unsubscribed = await newReport();
    const reopened = await newReport();
    for (const d of [dup, sameAddress, unsubscribed, reopened])
      await setStatus(d.id, { status: 'duplicate', duplicateOf: kept.id });
    await setStatus(reopened.id, { status: 'acknowledged' });
    await srv.pool.query('UPDATE reports SET notifications_stopped_at = now() WHERE id = $1', [
      unsubscribed.id,
    ]);
    await setStatus(kept.id, { status: 'fixed', reason: 'Rebouché à l’enrobé à froid' });

    const { rows } = await srv.pool.query(
      `SELECT o.report_id FROM email_outbox o JOIN report_events e ON e.id = o.event_id
        WHERE e.report_id = $1 AND e.to_status = 'fixed' ORDER BY o.id`,
      [kept.id],
    );
    expect(rows.map((r) => r.report_id).sort()).toEqual([kept.id, dup.id].sort());
    await drain(worker());
    const fixedTo = (email: string) =>
      smtp.to(email).filter((m) => m.subject.startsWith('Votre signalement est réparé'));
    expect(fixedTo(kept.email)).toHaveLength(1);
    const told = fixedTo(dup.email);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`Voir votre signalement :\n${srv.url}/#/mine/${dup.id}`);
    expect(told[0]!.text).toContain(`Le signalement suivi :\n${srv.url}/#/mine/${kept.id}`);
    expect(told[0]!.text).toContain('Rebouché à l’enrobé à froid');
    expect(told[0]!.messageId).not.toBe(fixedTo(kept.email)[0]!.messageId);
    expect(fixedTo(unsubscribed.email)).toHaveLength(0);
    expect(fixedTo(reopened.email)).toHaveLength(0);
    // Its unsubscribe link stops the duplicate's emails, not the kept report's.
    const token = tokenOf(told[0]!.header('list-unsubscribe'));
    const { rows: owner } = await srv.pool.query(
      'SELECT report_id FROM email_unsubscribe_tokens WHERE token_hash = $1',
      [hashUnsubscribeToken(token!)],
    );
    expect(owner).toEqual([{ report_id: dup.id }]);
  });

  it('tells a duplicate where the kept report is, and quotes public updates', async () => {
    const kept = await newReport({ email: null });
    const dup = await newReport();
    await setStatus(dup.id, { status: 'duplicate', duplicateOf: kept.id });
    const news = await newReport();
    await publicUpdate(news.id, 'Les travaux commencent lundi 7 décembre.');
    await drain(worker());
    expect(smtp.to(dup.email)[0]?.text).toContain(`Le signalement suivi :\n${srv.url}/#/mine/${kept.id}`);
    expect(smtp.to(news.email)[0]?.text).toContain(
      'Information de la mairie :\nLes travaux commencent lundi 7 décembre.',
    );
  });

  it('keeps the email queued while SMTP is down, retries with backoff, and delivers it once SMTP is back', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'fixed' });
    await smtp.stop();
    const w = worker();
    try {
      await drain(w);
      let [row] = await outbox(r.id);
      expect(row).toMatchObject({ status: 'queued', attempts: 1 });
      expect(row!.last_error).toMatch(/ECONNREFUSED/);
      // One minute later (jitter fixed at its middle), not before.
      expect(row!.next_attempt_at.getTime()).toBe(clock + 60_000);
      clock += 30_000;
      expect((await w.runOnce()).retried).toBe(0);
      clock += 31_000;
      await drain(w);
      [row] = await outbox(r.id);
      expect(row).toMatchObject({ status: 'queued', attempts: 2 });
      expect(row!.next_attempt_at.getTime()).toBe(clock + 120_000);
    } finally {
      await smtp.restart();
    }
    clock += 121_000;
    await drain(w);
    expect(smtp.to(r.email)).toHaveLength(1);
    expect((await outbox(r.id))[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  });

  it('retries after a temporary refusal (4xx) and gives up after a permanent one (5xx), keeping no address', async () => {
    const temp = await newReport();
    await setStatus(temp.id, { status: 'fixed' });
    smtp.behaviour = 'tempfail';
    const w = worker();
    await drain(w);
    expect((await outbox(temp.id))[0]).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await outbox(temp.id))[0]!.last_error).toMatch(/451/);

    smtp.behaviour = 'reject';
    clock += 61_000;
    await drain(w);
    const [row] = await outbox(temp.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.last_error).toMatch(/550/);
    expect(row!.last_error).not.toContain(temp.email);
    smtp.behaviour = 'accept';
    clock += 24 * 3600_000;
    await drain(w);
    expect(smtp.to(temp.email)).toHaveLength(0);
  });

  it('never loses an email claimed by a worker that died before sending: delivered once its lease ends', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'fixed' });
    // The dying worker: claims the due rows (its lease starts), then is gone.
    const claimed = await claimDue(srv.pool, crypto.randomUUID(), now(), 5 * 60_000, 1000);
    expect(claimed.map((c) => c.reportId)).toContain(r.id);
    const w = worker();
    await drain(w);
    expect(smtp.to(r.email)).toHaveLength(0); // leased: no other worker takes it
    clock += 5 * 60_000 + 1000;
    await drain(w);
    expect(smtp.to(r.email)).toHaveLength(1);
    expect((await outbox(r.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('after a crash between the SMTP server accepting and the row marked sent, delivers again with the same Message-ID', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'fixed' });
    const real = createSmtpSender(smtp.url);
    // A server that hands the email to SMTP and then freezes forever (killed before marking it sent).
    const dying: MailSender = {
      send: async (email) => {
        await real.send(email);
        if (email.to === r.email) await new Promise(() => {});
      },
      close: () => real.close(),
    };
    const a = worker({ sender: dying, batchSize: 1000 });
    void a.runOnce();
    await expect.poll(() => smtp.to(r.email).length, { timeout: 10_000 }).toBe(1);
    expect((await outbox(r.id))[0]).toMatchObject({ status: 'queued', sent_at: null });
    clock += 5 * 60_000 + 1000;
    await drain(worker());
    const mails = smtp.to(r.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.messageId).toBe(mails[0]!.messageId);
    expect((await outbox(r.id))[0]).toMatchObject({ status: 'sent' });
  });

  it('several workers sharing the queue never send the same email twice', async () => {
    const reports = [];
    for (let i = 0; i < 12; i++) reports.push(await newReport());
    for (const r of reports) await setStatus(r.id, { status: 'fixed' });
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 }));
    try {
      const ws = pools.map((pool) => worker({ pool, batchSize: 2 }));
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(ws.map((w) => w.runOnce()));
        if (results.every((x) => x.sent + x.retried + x.failed + x.dropped === 0)) break;
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    for (const r of reports) expect(smtp.to(r.email), r.email).toHaveLength(1);
    const ids = reports.flatMap((r) => smtp.to(r.email).map((m) => m.messageId));
    expect(new Set(ids).size).toBe(12);
  });

  it('drops an email whose resident erased their contact since it was queued', async () => {
    const r = await newReport();
    await setStatus(r.id, { status: 'fixed' });
    await srv.pool.query('UPDATE reports SET contact_email = NULL WHERE id = $1', [r.id]);
    await drain(worker());
    expect(smtp.to(r.email)).toHaveLength(0);
    expect(await outbox(r.id)).toEqual([]);
  });
});

describe('one-click unsubscribe (/unsubscribe/:token)', () => {
  async function deliveredToken(r: { id: string; email: string }): Promise<string> {
    await setStatus(r.id, { status: 'fixed' });
    await drain(worker());
    const token = tokenOf(smtp.to(r.email).at(-1)?.header('list-unsubscribe'));
    expect(token).toBeDefined();
    return token!;
  }
  const stopped = async (id: string) =>
    (await srv.pool.query('SELECT notifications_stopped_at FROM reports WHERE id = $1', [id])).rows[0]
      .notifications_stopped_at as Date | null;

  it('GET shows a confirmation page and changes nothing (link scanners follow links)', async () => {
    const r = await newReport();
    const token = await deliveredToken(r);
    const res = await fetch(`${srv.url}/unsubscribe/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('Ne plus recevoir de message');
    expect(await stopped(r.id)).toBeNull();
  });

  it('POST one-click (RFC 8058, no session) stops the report’s emails and drops the queued ones; audited without the address', async () => {
    const r = await newReport();
    const token = await deliveredToken(r);
    await setStatus(r.id, { status: 'acknowledged' });
    await publicUpdate(r.id, 'Encore un message');
    expect((await outbox(r.id)).filter((o) => o.status === 'queued')).toHaveLength(1);
    const res = await fetch(`${srv.url}/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('vous ne recevrez plus de message sur ce signalement');
    expect(await stopped(r.id)).toBeInstanceOf(Date);
    expect((await outbox(r.id)).map((o) => o.status)).toEqual(['sent']);
    await setStatus(r.id, { status: 'fixed' });
    expect((await outbox(r.id)).map((o) => o.status)).toEqual(['sent']);
    const audit = await auditRows(srv.pool, { action: 'email_unsubscribed', objectId: r.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'reporter', ip: null, data: { emailsDropped: 1 } });
    expect(JSON.stringify(audit)).not.toContain(r.email);
    // Again: the same confirmation, nothing more written.
    expect((await fetch(`${srv.url}/unsubscribe/${token}`, { method: 'POST' })).status).toBe(200);
    expect(await auditRows(srv.pool, { action: 'email_unsubscribed', objectId: r.id })).toHaveLength(1);
    expect(await (await fetch(`${srv.url}/unsubscribe/${token}`)).text()).toContain('C’est fait');
  });

  it('the page form unsubscribes too, from the browser, without a session', async () => {
    const r = await newReport({ locale: 'en' });
    const token = await deliveredToken(r);
    const res = await fetch(`${srv.url}/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: '',
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('you will receive no more messages about this report');
    expect(await stopped(r.id)).toBeInstanceOf(Date);
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a truncated token', 'A'.repeat(20)],
    ['a token with other characters', `${'A'.repeat(42)}~`],
  ])('answers 404 with an explanation for %s, GET and POST alike', async (_what, token) => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${srv.url}/unsubscribe/${token}`, { method });
      expect(res.status, method).toBe(404);
      expect(await res.text()).toContain('Ce lien n’est pas ou plus valable.');
    }
  });
});
