import type { StaffReport } from '../../../../../server/src/contract/staff';

/**
 * Moderation of one photo of a report (hide, approve for public display, redact a rectangle).
 * Rendered by ReportPage under each photo. (Being built: issue 6, moderation.)
 */
export function PhotoModeration(_props: {
  report: StaffReport;
  photo: StaffReport['photos'][number];
  onChanged: (report: StaffReport) => void;
}) {
  return null;
}
