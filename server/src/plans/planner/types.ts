/**
 * Public shapes of the crew-round planner. Plain data in, plain data out: the database and HTTP layers
 * map their rows onto these and never see the solver's internals.
 */

/** WGS84 position in degrees, as stored in PostGIS `geography(Point,4326)`. */
export interface GeoPoint {
  /** Latitude, degrees. */
  lat: number;
  /** Longitude, degrees. */
  lon: number;
}

/** Urgency set by the supervisor; 'danger' reports go before everything else. */
export type Priority = 'low' | 'normal' | 'high' | 'danger';

/** An open report the planner may schedule today. */
export interface PlannerReport {
  /** Report id (uuid), echoed in stops and `unplanned`. */
  id: string;
  /** Where the crew has to go. */
  point: GeoPoint;
  /** Kind of work (e.g. 'pothole'): one crew-day handles one work type, with its material and equipment. */
  workType: string;
  /** Expected time on site, minutes. */
  serviceMinutes: number;
  /** Urgency. */
  priority: Priority;
  /** Days since the report was made: older reports weigh more, so nothing starves. */
  ageDays: number;
}

/** A crew available today. */
export interface PlannerCrew {
  /** Crew id, echoed in plans. */
  id: string;
  /** Work types this crew can do; omitted or empty: any work type (a general crew). */
  workTypes?: readonly string[];
  /** Length of the working day, minutes, from leaving the depot to being back. */
  workingMinutes: number;
  /** Where the day starts and ends. */
  depot: GeoPoint;
  /** Average speed for the default great-circle travel model, km/h. */
  speedKmh: number;
}

/** A place every round of a work type visits first (e.g. the tar plant for potholes). */
export interface SupplyPoint {
  /** Where it is. */
  point: GeoPoint;
  /** Time spent loading there, minutes. */
  serviceMinutes: number;
  /** Human label for the plan ("Centrale d'enrobés"). */
  name?: string;
}

/**
 * Travel times and distances between points for one crew. Returning the same object for several crews
 * lets the planner share one matrix between them.
 */
export interface TravelModel {
  /** Minutes from `from` to `to`; a non-finite value means unreachable. */
  minutes(from: GeoPoint, to: GeoPoint): number;
  /** Metres from `from` to `to` (reported in plans, never optimised). */
  metres(from: GeoPoint, to: GeoPoint): number;
  /**
   * Optional bulk form: row-major minutes among `points` (length points.length²). Table services (OSRM
   * `/table`) and the default model implement it to avoid one call per pair.
   */
  minutesMatrix?(points: readonly GeoPoint[]): Float64Array;
}

/** What the planner needs to build today's rounds. */
export interface PlannerInput {
  /** Day being planned (ISO date, e.g. "2026-03-14"); copied to every plan. */
  date: string;
  /** Open reports to consider. */
  reports: readonly PlannerReport[];
  /** Crews available that day. */
  crews: readonly PlannerCrew[];
  /** Supply point per work type, visited first after leaving the depot. */
  supplyPoints?: Readonly<Record<string, SupplyPoint>>;
  /**
   * Travel model, one for all crews or one per crew; default: great-circle distance x 1.3 at the
   * crew's `speedKmh` (see `defaultTravel`).
   */
  travel?: TravelModel | ((crew: PlannerCrew) => TravelModel);
  /** Seed of the search: same input, seed and clock readings give the same plans. */
  seed?: number;
  /** Wall-clock budget for the whole call, milliseconds (default 2000). */
  timeBudgetMs?: number;
  /** Monotonic clock in milliseconds (default `performance.now`); injected so tests control time. */
  clock?: () => number;
  /**
   * Stop the improvement search after this many iterations even with time left: makes results identical
   * across machines of different speed.
   */
  iterationLimit?: number;
  /** Reports of one work type considered at most (the most valuable first); default 1500. */
  maxCandidatesPerWorkType?: number;
}

/** One report visit in a round. */
export interface PlannedStop {
  /** The report served. */
  reportId: string;
  /** Arrival, minutes after leaving the depot. */
  arrivalMinute: number;
  /** Time on site, minutes. */
  serviceMinutes: number;
  /** Driving time from the previous stop (or the supply point, or the depot), minutes. */
  travelMinutes: number;
  /** Driving distance from the previous stop, metres. */
  distanceMetres: number;
}

/** The supply visit at the start of a round. */
export interface PlannedSupplyStop {
  /** Label of the supply point, if given. */
  name: string | undefined;
  /** Where it is. */
  point: GeoPoint;
  /** Arrival, minutes after leaving the depot. */
  arrivalMinute: number;
  /** Loading time, minutes. */
  serviceMinutes: number;
  /** Driving time from the depot, minutes. */
  travelMinutes: number;
  /** Driving distance from the depot, metres. */
  distanceMetres: number;
}

/** One crew's round for the day: a single work type. */
export interface CrewPlan {
  /** Crew doing the round. */
  crewId: string;
  /** Work type of every stop. */
  workType: string;
  /** Day planned (from the input). */
  date: string;
  /** Supply visit before the first stop, when the work type has a supply point. */
  supply: PlannedSupplyStop | undefined;
  /** Report visits in order. */
  stops: PlannedStop[];
  /** Driving time back to the depot, minutes. */
  returnTravelMinutes: number;
  /** Driving distance back to the depot, metres. */
  returnDistanceMetres: number;
  /** All driving, minutes. */
  travelMinutes: number;
  /** All time on site, supply loading included, minutes. */
  serviceMinutes: number;
  /** Back at the depot, minutes after leaving it; never above the crew's working minutes. */
  totalMinutes: number;
  /** All driving, metres. */
  distanceMetres: number;
  /** Sum of the weights of the reports served. */
  weight: number;
}

/** Why a report is not in today's plans. */
export type UnplannedReason =
  /** No crew can do this work type today. */
  | 'no_crew_for_work_type'
  /** The travel model cannot reach it from any suitable crew's depot (or supply point). */
  | 'unreachable'
  /** Even alone, it does not fit in any suitable crew's working day. */
  | 'longer_than_a_day'
  /** It could be done, but the crews' days are full of more valuable work. */
  | 'does_not_fit_today';

/** A report left out, with the reason. */
export interface UnplannedReport {
  /** The report. */
  reportId: string;
  /** Why. */
  reason: UnplannedReason;
}

/** Figures about the planning run, for logs and the supervisor's screen. */
export interface PlannerStats {
  /** Sum of the weights of the planned reports (the first objective). */
  servedWeight: number;
  /** Sum of the weights of all reports. */
  totalWeight: number;
  /** Danger reports planned / submitted. */
  dangerPlanned: number;
  /** Danger reports submitted. */
  dangerTotal: number;
  /** Total driving of all plans, minutes (the second objective). */
  travelMinutes: number;
  /** Improvement iterations performed. */
  iterations: number;
  /** Time taken by the call, milliseconds (by the injected clock). */
  elapsedMs: number;
}

/** Today's rounds. */
export interface PlannerOutput {
  /** Day planned. */
  date: string;
  /** One plan per crew that works today (crews with nothing to do get none). */
  plans: CrewPlan[];
  /** Every report not in a plan, exactly once, with a reason. */
  unplanned: UnplannedReport[];
  /** Figures about the run. */
  stats: PlannerStats;
}
