import type { PlannerCrew } from './types';

/** Whether a crew may work on a work type: general crews (no list) take any. */
export function canDo(crew: PlannerCrew, workType: string): boolean {
  return !crew.workTypes || crew.workTypes.length === 0 || crew.workTypes.includes(workType);
}
