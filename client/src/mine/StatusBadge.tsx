import { useTranslation } from 'react-i18next';
import type { MineItem } from './mine';

/** The status to show: the server's when known, else where the report stands on the device. */
export function StatusBadge({ item }: { item: Pick<MineItem, 'local' | 'status'> }) {
  const { t } = useTranslation();
  if (item.status) {
    return <span className={`badge badge-status-${item.status}`}>{t(`mine.status.${item.status}`)}</span>;
  }
  if (item.local)
    return <span className={`badge badge-local-${item.local}`}>{t(`mine.local.${item.local}`)}</span>;
  return null;
}
