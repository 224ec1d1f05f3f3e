import type { PlanView, StopStatus } from '../../../../server/src/contract/plans';
import type { OutboxItem } from './outbox';

const PREFIX = 'vigie.crew.plan.';
const LIST_PREFIX = 'vigie.crew.plans.';

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or unavailable: the plan is still in memory
  }
}

/** The last copy of a plan opened on this device (for use without network). */
export const cachedPlan = (id: string) => read<PlanView>(PREFIX + id);
/** Keeps a copy of an opened plan. */
export const cachePlan = (plan: PlanView) => write(PREFIX + plan.id, plan);
/** The crews the signed-in member belonged to when last online. */
export const cachedMyCrews = () => read<number[]>('vigie.crew.mine');
/** Keeps the member's crews. */
export const cacheMyCrews = (ids: number[]) => write('vigie.crew.mine', ids);
/** The last list of a day's plans seen on this device. */
export const cachedPlans = (date: string) => read<PlanView[]>(LIST_PREFIX + date);
/** Keeps the day's list. */
export const cachePlans = (date: string, plans: PlanView[]) => write(LIST_PREFIX + date, plans);

/** A plan with a stop's status changed (optimistic: before the server has it). */
export function withStop(
  plan: PlanView,
  reportId: string,
  status: StopStatus,
  note: string | null,
  at: string | null,
): PlanView {
  return {
    ...plan,
    stops: plan.stops.map((s) => (s.reportId === reportId ? { ...s, status, note, doneAt: at } : s)),
  };
}

/** A plan as the crew should see it: the server's copy with the updates still waiting on top. */
export function withPending(plan: PlanView, pending: readonly OutboxItem[]): PlanView {
  return pending
    .filter((i) => i.planId === plan.id)
    .reduce((p, i) => withStop(p, i.reportId, i.body.status, i.body.note ?? null, i.body.at), plan);
}

/** A day's rounds split for a crew member: their crews' first, the commune's others after. Pure. */
export function splitByCrew(
  plans: readonly PlanView[],
  myCrewIds: readonly number[],
): { mine: PlanView[]; others: PlanView[] } {
  const mine = plans.filter((p) => p.crew.id !== null && myCrewIds.includes(p.crew.id));
  return { mine, others: plans.filter((p) => !mine.includes(p)) };
}
