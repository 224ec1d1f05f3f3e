/**
 * Vigie's crew-round planner: a pure module (no database, no HTTP, no I/O) that turns open reports and
 * available crews into one-work-type rounds, and the CVRP solver underneath it. The plans service
 * reads reports and crews from the database, calls `planRounds`, and stores the plans it returns.
 */
export { planRounds, DEFAULT_TIME_BUDGET_MS, DEFAULT_MAX_CANDIDATES_PER_WORK_TYPE } from './planner';
export { checkPlan, roundMinutes } from './check';
export { canDo } from './crews';
export {
  crewTravelModels,
  defaultTravel,
  greatCircleMetres,
  matrixTravel,
  DEFAULT_DETOUR_FACTOR,
  EARTH_RADIUS_METRES,
  type DefaultTravelOptions,
  type TravelMatrix,
} from './travel';
export { reportWeight, PRIORITY_FACTOR, AGE_DAYS_PER_BONUS } from './weights';
export {
  cvrpArc,
  cvrpFleetSize,
  cvrpRoutesCost,
  parseCvrplib,
  parseCvrplibSolution,
  solveCvrp,
  validateCvrpRoutes,
  type CvrpInstance,
  type CvrpRun,
  type CvrpSolution,
  type CvrpSolveOptions,
} from './cvrplib';
export { syntheticCity, type SyntheticCityOptions } from './synthetic';
export type * from './types';
