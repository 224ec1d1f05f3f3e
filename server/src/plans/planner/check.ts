import { canDo } from './crews';
import { crewTravelModels } from './travel';
import type { GeoPoint, PlannerCrew, PlannerInput, PlannerOutput, TravelModel } from './types';

/** Rounding allowance when comparing minutes recomputed here with the planner's. */
const TOLERANCE_MINUTES = 1e-6;

/**
 * Checks a planner output against the rules every plan must keep, recomputing times from the travel
 * model rather than trusting the plan's own figures. Returns the broken rules (empty: all hold). Used
 * by the property tests and the benchmark, and cheap enough to run after every planning call.
 *
 * Rules: every report is planned exactly once or listed unplanned once; a crew works at most one plan,
 * of a work type it can do, every stop of that type; the supply point is visited first when the work
 * type has one; no plan goes over its crew's working minutes; a danger report is never left out while a
 * crew that could take it (by dropping lower-priority stops of the same work type, or switching to its
 * work type when it serves no danger report) spends its day on lower-priority reports.
 */
export function checkPlan(input: PlannerInput, output: PlannerOutput): string[] {
  const problems: string[] = [];
  const reports = new Map(input.reports.map((r) => [r.id, r]));
  const crews = new Map(input.crews.map((c, i) => [c.id, i]));
  const models = crewTravelModels(input);
  const seen = new Map<string, number>();
  const count = (id: string): void => {
    if (!reports.has(id)) problems.push(`unknown report ${id} in the output`);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  };
  const planOf = new Map<number, PlannerOutput['plans'][number]>();
  for (const plan of output.plans) {
    const v = crews.get(plan.crewId);
    if (v === undefined) {
      problems.push(`plan for unknown crew ${plan.crewId}`);
      continue;
    }
    if (planOf.has(v)) problems.push(`crew ${plan.crewId} has two plans`);
    planOf.set(v, plan);
    const crew = input.crews[v]!;
    if (!canDo(crew, plan.workType)) problems.push(`crew ${crew.id} cannot do ${plan.workType}`);
    const supply = input.supplyPoints?.[plan.workType];
    if (supply && (!plan.supply || !samePoint(plan.supply.point, supply.point))) {
      problems.push(`plan of ${crew.id} does not start at the ${plan.workType} supply point`);
    }
    if (!supply && plan.supply) problems.push(`plan of ${crew.id} visits a supply point its work type lacks`);
    const points: GeoPoint[] = [];
    const services: number[] = [];
    for (const stop of plan.stops) {
      count(stop.reportId);
      const report = reports.get(stop.reportId);
      if (!report) continue;
      if (report.workType !== plan.workType) {
        problems.push(`plan of ${crew.id} (${plan.workType}) holds report ${report.id} (${report.workType})`);
      }
      points.push(report.point);
      services.push(report.serviceMinutes);
    }
    if (plan.stops.length === 0) problems.push(`plan of ${crew.id} is empty`);
    const total = roundMinutes(crew, models[v]!, supply, points, services);
    if (total > crew.workingMinutes + TOLERANCE_MINUTES) {
      problems.push(`plan of ${crew.id} lasts ${total.toFixed(2)} min > ${crew.workingMinutes}`);
    }
    if (Math.abs(total - plan.totalMinutes) > 1e-6 * Math.max(1, total)) {
      problems.push(`plan of ${crew.id} reports ${plan.totalMinutes} min, recomputed ${total}`);
    }
  }
  for (const u of output.unplanned) count(u.reportId);
  for (const r of input.reports) {
    const n = seen.get(r.id) ?? 0;
    if (n === 0) problems.push(`report ${r.id} is neither planned nor unplanned`);
    if (n > 1) problems.push(`report ${r.id} appears ${n} times`);
  }
  for (const u of output.unplanned) {
    const report = reports.get(u.reportId);
    if (!report) continue;
    const able = input.crews.some((c) => canDo(c, report.workType));
    if (u.reason === 'no_crew_for_work_type' && able) problems.push(`report ${report.id}: a crew can do it`);
    if (report.priority !== 'danger' || u.reason !== 'does_not_fit_today') continue;
    input.crews.forEach((crew, v) => {
      if (!canDo(crew, report.workType)) return;
      const plan = planOf.get(v);
      const supply = input.supplyPoints?.[report.workType];
      const dangerStops = (plan?.stops ?? [])
        .map((s) => reports.get(s.reportId))
        .filter((r) => r !== undefined && r.priority === 'danger');
      let base: { point: GeoPoint; service: number }[];
      if (plan && plan.workType === report.workType) {
        if (dangerStops.length === plan.stops.length) return;
        base = dangerStops.map((r) => ({ point: r!.point, service: r!.serviceMinutes }));
      } else {
        if (dangerStops.length > 0) return;
        base = [];
      }
      let best = Infinity;
      for (let k = 0; k <= base.length; k++) {
        const route = [
          ...base.slice(0, k),
          { point: report.point, service: report.serviceMinutes },
          ...base.slice(k),
        ];
        const t = roundMinutes(
          crew,
          models[v]!,
          supply,
          route.map((x) => x.point),
          route.map((x) => x.service),
        );
        best = Math.min(best, t);
      }
      // A hair of slack: the solver stores travel rounded up, so exact-fit cases may legitimately differ.
      if (best <= crew.workingMinutes - 1e-4) {
        problems.push(`danger report ${report.id} left out while crew ${crew.id} could take it`);
      }
    });
  }
  return problems;
}

function samePoint(a: GeoPoint, b: GeoPoint): boolean {
  return a.lat === b.lat && a.lon === b.lon;
}

/** Minutes from leaving the depot to being back, for a crew visiting the supply point then `points`. */
export function roundMinutes(
  crew: PlannerCrew,
  model: TravelModel,
  supply: { point: GeoPoint; serviceMinutes: number } | undefined,
  points: readonly GeoPoint[],
  services: readonly number[],
): number {
  let t = 0;
  let prev = crew.depot;
  if (supply) {
    t += model.minutes(prev, supply.point) + supply.serviceMinutes;
    prev = supply.point;
  }
  points.forEach((p, i) => {
    t += model.minutes(prev, p) + services[i]!;
    prev = p;
  });
  return t + model.minutes(prev, crew.depot);
}
