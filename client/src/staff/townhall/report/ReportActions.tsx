import type { StaffReport } from '../../../../../server/src/contract/staff';

/**
 * What staff can do on a report's page: change its status (only to what the life cycle
 * allows), category, priority and location, merge duplicates, add internal notes and public
 * updates, moderate its public text. Rendered by ReportPage; calls `onChanged` with the
 * updated report after each change. (Being built: issue 6, workflow and moderation.)
 */
export function ReportActions(_props: { report: StaffReport; onChanged: (report: StaffReport) => void }) {
  return null;
}
