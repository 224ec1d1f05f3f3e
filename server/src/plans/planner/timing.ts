import type { GeoPoint, TravelModel } from './types';

/** One stop of a round, timed. */
export interface TimedStop {
  arrivalMinute: number;
  serviceMinutes: number;
  travelMinutes: number;
  distanceMetres: number;
}

/** A round's timings, recomputed from its order (after the supervisor moved stops by hand). */
export interface RoundTiming {
  supply: { arrivalMinute: number; travelMinutes: number; distanceMetres: number } | null;
  stops: TimedStop[];
  travelMinutes: number;
  serviceMinutes: number;
  totalMinutes: number;
  distanceMetres: number;
  returnTravelMinutes: number;
  returnDistanceMetres: number;
  /** Whether the crew is back at the depot within its working day. */
  fits: boolean;
}

/**
 * Times a round in the given order: depot, supply point (if any), stops, depot. The planner
 * times its output with it, and the plans service re-times the supervisor's edited rounds, so
 * both agree to the last float.
 */
export function timeRound(
  model: TravelModel,
  depot: GeoPoint,
  workingMinutes: number,
  supply: { point: GeoPoint; serviceMinutes: number } | undefined,
  stops: ReadonlyArray<{ point: GeoPoint; serviceMinutes: number }>,
): RoundTiming {
  let t = 0;
  let travel = 0;
  let service = 0;
  let distance = 0;
  let prev = depot;
  let supplyTiming: RoundTiming['supply'] = null;
  if (supply) {
    const minutes = model.minutes(prev, supply.point);
    const metres = model.metres(prev, supply.point);
    t += minutes;
    supplyTiming = { arrivalMinute: t, travelMinutes: minutes, distanceMetres: metres };
    t += supply.serviceMinutes;
    travel += minutes;
    service += supply.serviceMinutes;
    distance += metres;
    prev = supply.point;
  }
  const timed: TimedStop[] = [];
  for (const s of stops) {
    const minutes = model.minutes(prev, s.point);
    const metres = model.metres(prev, s.point);
    t += minutes;
    timed.push({
      arrivalMinute: t,
      serviceMinutes: s.serviceMinutes,
      travelMinutes: minutes,
      distanceMetres: metres,
    });
    t += s.serviceMinutes;
    travel += minutes;
    service += s.serviceMinutes;
    distance += metres;
    prev = s.point;
  }
  const back = model.minutes(prev, depot);
  const backMetres = model.metres(prev, depot);
  t += back;
  return {
    supply: supplyTiming,
    stops: timed,
    travelMinutes: travel + back,
    serviceMinutes: service,
    totalMinutes: t,
    distanceMetres: distance + backMetres,
    returnTravelMinutes: back,
    returnDistanceMetres: backMetres,
    fits: Number.isFinite(t) && t <= workingMinutes + 1e-6,
  };
}
