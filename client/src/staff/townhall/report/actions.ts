import type { ReportStatus } from '../../../../../server/src/contract/common';
import { CREW_STATUSES, type StaffAbilities } from '../../../../../server/src/contract/staff';
import { nextStatuses } from '../../../../../server/src/contract/workflow';

/** Pure helpers of the report's actions (tested without a browser). */

/** The statuses this person may set from the current one: the life cycle's next ones, then their role's. */
export function offeredStatuses(report: { status: ReportStatus; can: StaffAbilities }): ReportStatus[] {
  return nextStatuses(report.status).filter(
    (s) => report.can.anyStatus || (report.can.fieldStatus && CREW_STATUSES.includes(s)),
  );
}

/** A typed coordinate (a decimal comma is accepted), or undefined when it is not a number within ±max. */
export function parseCoordinate(text: string, max: number): number | undefined {
  const s = text.trim().replace(',', '.');
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Math.abs(v) <= max ? v : undefined;
}
