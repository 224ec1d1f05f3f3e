import type { StopView } from '../../../../server/src/contract/plans';
import type { PreviewPlan } from './plansApi';

/** A proposed round as the supervisor edits it before saving. */
export interface Draft {
  crew: PreviewPlan['crew'];
  workType: string;
  depot: PreviewPlan['depot'];
  /** When the round starts, minutes after midnight (arrivals are shown from it). */
  dayStartMinute: number;
  stops: StopView[];
  totals: PreviewPlan['totals'];
  fits: boolean;
  /** Stops were moved or removed: the totals are the server's old ones until saved. */
  changed: boolean;
}

/** Moves a stop from one draft to the end of another (or out of every plan when `to` is -1). */
export function moveStop(drafts: readonly Draft[], from: number, reportId: string, to: number): Draft[] {
  const stop = drafts[from]?.stops.find((s) => s.reportId === reportId);
  if (!stop) return [...drafts];
  return drafts.map((d, i) => {
    const renumber = (stops: StopView[]) => stops.map((s, k) => ({ ...s, position: k + 1 }));
    if (i === from)
      return { ...d, changed: true, stops: renumber(d.stops.filter((s) => s.reportId !== reportId)) };
    if (i === to) return { ...d, changed: true, stops: renumber([...d.stops, stop]) };
    return d;
  });
}

/** Which round (1-based, as shown) an error field like `plans.2.reportIds` points at. */
export function roundOfField(field: string | undefined, shownIndex: number[]): number | undefined {
  const m = /^plans\.(\d+)/.exec(field ?? '');
  if (!m) return undefined;
  const i = shownIndex[Number(m[1])];
  return i === undefined ? undefined : i + 1;
}

/** Swaps a stop with the one before it (the only re-ordering done in the browser; the server re-times). */
export function moveUp(drafts: readonly Draft[], index: number, reportId: string): Draft[] {
  return drafts.map((d, i) => {
    const k = d.stops.findIndex((s) => s.reportId === reportId);
    if (i !== index || k < 1) return d;
    const stops = [...d.stops];
    [stops[k - 1], stops[k]] = [stops[k]!, stops[k - 1]!];
    return { ...d, changed: true, stops: stops.map((s, n) => ({ ...s, position: n + 1 })) };
  });
}
