import type { Pool } from 'pg';
import { insertCrew } from '../../server/src/plans/plans.repo';
import * as plans from '../../server/src/plans/plans.service';
import type { PhotoStore } from '../../server/src/photos/photos.store';
import { sendResidentReport as sendReport } from './resident';

/**
 * A plan of one fresh pothole report in a commune, saved by a supervisor and, unless `draft`,
 * published: what the plan and stop routes of a test act on.
 */
export async function createPlan(
  deps: { url: string; pool: Pool; photos: PhotoStore },
  commune: { id: number; centre: { lat: number; lon: number } },
  status: 'draft' | 'published',
): Promise<{ planId: string; reportId: string; crewId: number }> {
  const crewId = await insertCrew(deps.pool, commune.id, {
    name: `Voirie ${Math.random().toString(36).slice(2, 8)}`,
    workTypes: [],
    workingMinutes: 480,
    speedKmh: 30,
  });
  const report = await sendReport(deps.url, commune.centre);
  const actor = { userId: 'fixture', communeIds: [commune.id] };
  const svc = { pool: deps.pool, photos: deps.photos };
  const [plan] = await plans.save(svc, actor, {
    communeId: commune.id,
    date: '2026-12-01',
    plans: [{ crewId, workType: 'asphalt', reportIds: [report.id] }],
  });
  if (status === 'published') await plans.publish(svc, actor, plan!.id);
  return { planId: plan!.id, reportId: report.id, crewId };
}
