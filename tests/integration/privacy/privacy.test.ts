import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, newToken, randomCentre } from '../../support/fixtures';
import { reportFields, sendReport } from '../../support/reports';
import { auditRows, call, createStaff, newEmail, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let other: Awaited<ReturnType<typeof createTestCommune>>;
let admin: string;
let supervisor: string;

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  other = await createTestCommune(srv.pool, randomCentre());
  admin = await signIn(srv.url, await createStaff(srv.pool, [{ communeId: commune.id, role: 'admin' }]));
  supervisor = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  await srv?.close();
});

async function reportWithEmail() {
  const token = newToken();
  const email = newEmail('resident');
  const r = await sendReport(srv.url, {
    token,
    fields: reportFields(commune.centre, { contactEmail: email, locale: 'en' }),
  });
  expect(r.status).toBe(201);
  return { id: r.id, token, email };
}
const erase = (id: string, token?: string) =>
  call(srv.url, `/api/reports/${id}/contact`, {
    method: 'DELETE',
    headers: token ? { 'X-Reporter-Token': token } : {},
  });
const contactOf = async (id: string) =>
  (
    await srv.pool.query(
      `SELECT contact_email, contact_locale,
              (SELECT count(*)::int FROM email_outbox o WHERE o.report_id = r.id) AS emails
         FROM reports r WHERE id = $1`,
      [id],
    )
  ).rows[0];

describe('PUT /api/reports/:id with a language', () => {
  it('keeps the language only with a contact email', async () => {
    const withEmail = await reportWithEmail();
    expect(await contactOf(withEmail.id)).toMatchObject({ contact_locale: 'en' });
    const without = await sendReport(srv.url, { fields: reportFields(commune.centre, { locale: 'en' }) });
    expect(await contactOf(without.id)).toMatchObject({ contact_email: null, contact_locale: null });
    const bad = await sendReport(srv.url, { fields: reportFields(commune.centre, { locale: 'de' }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: 'locale' } });
  });
});

describe('DELETE /api/reports/:id/contact', () => {
  it('erases the email, its language and the queued emails for the device that sent the report; idempotent', async () => {
    const r = await reportWithEmail();
    const status = await call(srv.url, `/api/staff/reports/${r.id}/status`, {
      method: 'POST',
      cookie: supervisor,
      json: { status: 'fixed' },
    });
    expect(status.status).toBe(200);
    expect(await contactOf(r.id)).toMatchObject({ contact_email: r.email, emails: 1 });
    const first = await erase(r.id, r.token);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ contactEmail: null, emailsCancelled: 1 });
    expect(await contactOf(r.id)).toEqual({ contact_email: null, contact_locale: null, emails: 0 });
    const again = await erase(r.id, r.token);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ contactEmail: null, emailsCancelled: 0 });
    // The owner's view says so; nothing is queued for the next change.
    const own = await call(srv.url, `/api/reports/${r.id}`, { headers: { 'X-Reporter-Token': r.token } });
    expect(own.json).toMatchObject({ contactEmail: null });
    const audit = await auditRows(srv.pool, { action: 'contact_erased', objectId: r.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'reporter', ip: null, commune_id: commune.id });
    expect(JSON.stringify(audit)).not.toContain(r.email);
  });

  it('answers another device exactly like a missing report, and erases nothing', async () => {
    const r = await reportWithEmail();
    const theirs = await erase(r.id, newToken());
    const missing = await erase(crypto.randomUUID(), newToken());
    expect([theirs.status, missing.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(missing.text);
    expect(await contactOf(r.id)).toMatchObject({ contact_email: r.email });
    // Staff cannot erase it either (it is the resident's right, from their device).
    expect(
      (await call(srv.url, `/api/reports/${r.id}/contact`, { method: 'DELETE', cookie: admin })).status,
    ).toBe(400);
  });

  it('refuses a missing or malformed token and a malformed id with a 400 naming the field', async () => {
    const r = await reportWithEmail();
    const none = await erase(r.id);
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({ error: { code: 'invalid_reporter_token', field: 'X-Reporter-Token' } });
    const short = await erase(r.id, 'short');
    expect(short.status).toBe(400);
    const badId = await erase('not-a-uuid', r.token);
    expect(badId.status).toBe(400);
    expect(badId.json).toMatchObject({ error: { code: 'invalid_id', field: 'id' } });
    expect(await contactOf(r.id)).toMatchObject({ contact_email: r.email });
  });
});

describe('/api/staff/communes/:commune/settings (photos, retention, privacy contact)', () => {
  const path = (slug: string) => `/api/staff/communes/${slug}/settings`;

  it('shows the defaults: photos private, contact data 12 months, location 5 years', async () => {
    const res = await call(srv.url, path(commune.slug), { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      requireAdminTotp: false,
      photosPublic: false,
      contactRetentionMonths: 12,
      locationRetentionYears: 5,
      privacyContact: null,
    });
  });

  it('changes only what is sent, audited with what changed', async () => {
    const res = await call(srv.url, path(commune.slug), {
      method: 'PATCH',
      cookie: admin,
      json: { photosPublic: true, contactRetentionMonths: 6, privacyContact: '  Mairie, 1 place du Bourg  ' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      requireAdminTotp: false,
      photosPublic: true,
      contactRetentionMonths: 6,
      locationRetentionYears: 5,
      privacyContact: 'Mairie, 1 place du Bourg',
    });
    const audit = await auditRows(srv.pool, { action: 'settings_changed', objectId: String(commune.id) });
    expect(audit.at(-1)).toMatchObject({
      data: { photosPublic: true, contactRetentionMonths: 6, privacyContact: 'Mairie, 1 place du Bourg' },
    });
    const cleared = await call(srv.url, path(commune.slug), {
      method: 'PATCH',
      cookie: admin,
      json: { privacyContact: null, locationRetentionYears: 3 },
    });
    expect(cleared.json).toMatchObject({
      privacyContact: null,
      locationRetentionYears: 3,
      contactRetentionMonths: 6,
    });
  });

  it.each([
    [{ contactRetentionMonths: 0 }, 'contactRetentionMonths'],
    [{ contactRetentionMonths: 37 }, 'contactRetentionMonths'],
    [{ contactRetentionMonths: 6.5 }, 'contactRetentionMonths'],
    [{ locationRetentionYears: 0 }, 'locationRetentionYears'],
    [{ locationRetentionYears: 21 }, 'locationRetentionYears'],
    [{ contactRetentionMonths: 36, locationRetentionYears: 2 }, 'locationRetentionYears'],
    [{ photosPublic: 'yes' }, 'photosPublic'],
    [{ privacyContact: 'x'.repeat(501) }, 'privacyContact'],
    [{ retention: 5 }, 'retention'],
  ])('refuses %j with a 400 naming %s, and changes nothing', async (body, field) => {
    const before = await call(srv.url, path(commune.slug), { cookie: admin });
    const res = await call(srv.url, path(commune.slug), { method: 'PATCH', cookie: admin, json: body });
    expect(res.status, res.text).toBe(400);
    expect((res.json as { error: { field?: string } }).error.field).toBe(field);
    expect((await call(srv.url, path(commune.slug), { cookie: admin })).json).toEqual(before.json);
  });

  it('refuses an empty body, and a location period shorter than the stored contact period', async () => {
    expect(
      (await call(srv.url, path(commune.slug), { method: 'PATCH', cookie: admin, json: {} })).status,
    ).toBe(400);
    await call(srv.url, path(commune.slug), {
      method: 'PATCH',
      cookie: admin,
      json: { contactRetentionMonths: 30 },
    });
    const res = await call(srv.url, path(commune.slug), {
      method: 'PATCH',
      cookie: admin,
      json: { locationRetentionYears: 2 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'retention_order', field: 'locationRetentionYears' } });
  });

  it("answers 404 for another commune's settings, like a missing one, and 403 for a supervisor of this one", async () => {
    const theirs = await call(srv.url, path(other.slug), { cookie: admin });
    const none = await call(srv.url, path('nowhere'), { cookie: admin });
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect(theirs.text).toBe(none.text);
    const patch = await call(srv.url, path(other.slug), {
      method: 'PATCH',
      cookie: admin,
      json: { photosPublic: true },
    });
    expect(patch.status).toBe(404);
    expect((await call(srv.url, path(commune.slug), { cookie: supervisor })).status).toBe(403);
    const { rows } = await srv.pool.query('SELECT photos_public FROM communes WHERE id = $1', [other.id]);
    expect(rows[0].photos_public).toBe(false);
  });
});

describe('GET /privacy/:commune', () => {
  it("is a printable HTML notice generated from the commune's current settings, French first", async () => {
    await call(srv.url, `/api/staff/communes/${commune.slug}/settings`, {
      method: 'PATCH',
      cookie: admin,
      json: {
        contactRetentionMonths: 9,
        locationRetentionYears: 4,
        photosPublic: false,
        privacyContact: 'dpo@mairie.test',
      },
    });
    const res = await fetch(`${srv.url}/privacy/${commune.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain(`Commune de Test ${commune.slug}`);
    expect(page).toContain('9 mois après sa clôture');
    expect(page).toContain('4 ans après sa clôture');
    expect(page).toContain('dpo@mairie.test');
    expect(page).toContain('Pas les photos');
    expect(page).toContain('@media print');
    const en = await (await fetch(`${srv.url}/privacy/${commune.slug}?lang=en`)).text();
    expect(en).toContain('9 months after it is closed');
  });

  it('answers 404 for an unknown commune (a page for a browser, JSON for an API client) and 400 for a bad language', async () => {
    const browser = await fetch(`${srv.url}/privacy/nowhere`, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(browser.status).toBe(404);
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await browser.text()).toContain('Cette commune n’est pas servie par Vigie');
    const api = await fetch(`${srv.url}/privacy/nowhere`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'commune_not_found' } });
    const bad = await fetch(`${srv.url}/privacy/${commune.slug}?lang=de`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'lang' } });
    expect((await fetch(`${srv.url}/privacy/Not_A_Slug`)).status).toBe(400);
  });
});
