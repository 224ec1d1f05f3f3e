import { useTranslation } from 'react-i18next';
import type { PlanView } from '../../../../server/src/contract/plans';
import { clockTime } from './plansApi';

/** A printable round sheet: the ordered stops in a table and a signature box (see the print styles). */
export function RoundSheet({ plan, onClose }: { plan: PlanView; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="staff-card staff-wide round-sheet" aria-labelledby="round-sheet-title">
      <div className="staff-no-print">
        <button type="button" className="staff-small-button" onClick={() => window.print()}>
          {t('board.print')}
        </button>{' '}
        <button type="button" className="staff-small-button" onClick={onClose}>
          {t('board.close')}
        </button>
      </div>
      <h1 id="round-sheet-title">{t('sheet.title', { crew: plan.crew.name, date: plan.date })}</h1>
      <table className="round-sheet-table">
        <thead>
          <tr>
            <th scope="col">{t('sheet.n')}</th>
            <th scope="col">{t('sheet.time')}</th>
            <th scope="col">{t('sheet.category')}</th>
            <th scope="col">{t('sheet.place')}</th>
            <th scope="col">{t('sheet.description')}</th>
            <th scope="col">{t('sheet.status')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.stops.map((s) => (
            <tr key={s.reportId}>
              <td>{s.position}</td>
              <td>{clockTime(s.arrivalMinute, plan.dayStartMinute)}</td>
              <td>{i18n.language === 'en' ? s.report.category.labelEn : s.report.category.labelFr}</td>
              <td>
                {s.report.lat.toFixed(5)}, {s.report.lon.toFixed(5)}
              </td>
              <td>{s.report.description ?? ''}</td>
              <td>{t(`common.status_${s.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="round-sheet-signature">
        <p>{t('sheet.signature')}</p>
        <p>{t('sheet.signedAt')}</p>
      </div>
    </section>
  );
}
