import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/app';
import { createTestCommune, randomCentre } from '../../support/fixtures';
import { sendResidentReport } from '../../support/resident';
import { call, createStaff, signIn } from '../../support/staff';

let srv: TestServer;
let commune: Awaited<ReturnType<typeof createTestCommune>>;
let cookie: string;
const ids: string[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  commune = await createTestCommune(srv.pool, randomCentre());
  for (let i = 0; i < 5; i++) ids.push((await sendResidentReport(srv.url, commune.centre)).id);
  cookie = await signIn(
    srv.url,
    await createStaff(srv.pool, [{ communeId: commune.id, role: 'supervisor' }]),
  );
});
afterAll(async () => {
  await srv?.close();
});

describe('GET /api/staff/reports', () => {
  it("pages through the commune's reports exactly once with the keyset cursor, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/staff/reports?commune=${commune.slug}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call(srv.url, q, { cookie });
      expect(page.status, page.text).toBe(200);
      seen.push(...(page.json!.items as Array<{ id: string }>).map((r) => r.id));
      cursor = page.json!.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });
});
