import './reportActions.css';
import { useTranslation } from 'react-i18next';
import type { StaffReport } from '../../../../../server/src/contract/staff';
import { EditForm } from './EditForm';
import { MergeForm } from './MergeForm';
import { MessageForm } from './MessageForm';
import { PublicForm } from './PublicForm';
import { StatusForm } from './StatusForm';

/**
 * What staff can do on a report's page: change its status (only to what the life cycle
 * allows), category, priority and location, merge duplicates, add internal notes and public
 * updates, moderate its public text. Rendered by ReportPage; calls `onChanged` with the
 * updated report after each change. Each part shows only when the person's role allows it
 * (`report.can`); the server checks again.
 */
export function ReportActions({
  report,
  onChanged,
}: {
  report: StaffReport;
  onChanged: (report: StaffReport) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="ra" data-testid="report-actions" aria-label={t('moderation.heading')} role="region">
      {(report.can.fieldStatus || report.can.anyStatus) && (
        <StatusForm report={report} onChanged={onChanged} />
      )}
      {report.can.triage && <EditForm report={report} onChanged={onChanged} />}
      {report.can.anyStatus && <MergeForm report={report} onChanged={onChanged} />}
      <MessageForm report={report} onChanged={onChanged} />
      <PublicForm report={report} onChanged={onChanged} />
    </div>
  );
}
