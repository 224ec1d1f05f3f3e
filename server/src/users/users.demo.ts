import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { CommuneRole } from '../contract/auth';
import { DEMO_COMMUNE } from '../communes/demo';
import { findCommuneBySlug } from '../communes/communes.repo';
import * as repo from './users.repo';
import { CLI_ACTOR, createUser, resetPassword, type Actor } from './users.service';

/** The demo accounts: one per role, in the demo commune. Addresses under the reserved .example TLD. */
export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; role: CommuneRole }> = [
  { email: 'equipe@saint-nolff.example', role: 'crew' },
  { email: 'responsable@saint-nolff.example', role: 'supervisor' },
  { email: 'admin@saint-nolff.example', role: 'admin' },
];

const SYSTEM: Actor = { ...CLI_ACTOR, actorKind: 'system' };

/**
 * Creates the demo staff accounts (only with DEMO=1), each time with fresh random passwords,
 * returned for printing: there is no fixed password anywhere, in the code or the database.
 */
export async function seedDemoAccounts(
  pool: Pool,
  log: Pick<Logger, 'warn'>,
): Promise<Array<{ email: string; role: CommuneRole; password: string }>> {
  const commune = await findCommuneBySlug(pool, DEMO_COMMUNE.slug);
  if (!commune) {
    log.warn('DEMO=1 but the demo commune is missing (SEED_DEMO=0?): no demo accounts');
    return [];
  }
  const out = [];
  for (const a of DEMO_ACCOUNTS) {
    const password = crypto.randomBytes(12).toString('base64url');
    const existing = await repo.findUser(pool, a.email);
    if (existing) await resetPassword(pool, SYSTEM, existing.id, a.email, password);
    await createUser(pool, SYSTEM, { email: a.email, password, commune: { id: commune.id, role: a.role } });
    out.push({ ...a, password });
  }
  return out;
}
