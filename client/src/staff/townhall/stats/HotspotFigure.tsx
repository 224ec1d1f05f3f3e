import { lazy, Suspense, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { HOTSPOT_CELLS, type HotspotCell } from '../../../../../server/src/contract/stats';
import { hrefFor, linkProps, navigate } from '../../route';
import { filterToQuery, type FilterParams } from '../filters';
import { FigureStatus } from './FigureStatus';
import { formatCount } from './format';
import { cellFilter } from './links';
import { fetchHotspots } from './statsApi';
import { useFigure } from './useFigure';

const HotspotMap = lazy(() => import('./HotspotMap'));

/** How many of the busiest cells the table lists. */
const TOP = 10;

/** The hotspot map and its table of the busiest cells; a cell opens the list of its reports. */
export function HotspotFigure({
  filter,
  cell,
  onCell,
}: {
  filter: FilterParams;
  cell: number;
  onCell: (metres: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const lang = i18n.language;
  const figure = useFigure(`${filterToQuery(filter).toString()}&cell=${cell}`, () =>
    fetchHotspots(filter, cell),
  );
  const href = (c: HotspotCell) => hrefFor('history', { query: filterToQuery(cellFilter(filter, c)) });
  const tooltip = (c: HotspotCell) =>
    t('stats.hotspots.tooltip', { count: formatCount(c.count, lang), open: formatCount(c.open, lang) });
  const centre = (c: HotspotCell) =>
    `${((c.minLat + c.maxLat) / 2).toFixed(4)}, ${((c.minLon + c.maxLon) / 2).toFixed(4)}`;

  return (
    <section className="stats-figure stats-hotspots" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('stats.hotspots.heading')}</h2>
      <div className="staff-field">
        <label htmlFor={`${id}-cell`}>{t('stats.hotspots.cell')}</label>
        <select id={`${id}-cell`} value={cell} onChange={(e) => onCell(Number(e.target.value))}>
          {[...new Set([...HOTSPOT_CELLS, cell])]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={m}>
                {t('stats.hotspots.metres', { count: m })}
              </option>
            ))}
        </select>
      </div>
      <FigureStatus figure={figure}>
        {(data) => {
          if (data.cells.length === 0) return <p className="stats-empty">{t('stats.hotspots.empty')}</p>;
          return (
            <div className="stats-hotspots-grid">
              <Suspense fallback={<div className="stats-map" aria-hidden="true" />}>
                <HotspotMap
                  cells={data.cells}
                  label={t('stats.hotspots.map')}
                  tooltip={tooltip}
                  onSelect={(c) => navigate(href(c))}
                />
              </Suspense>
              <div>
                {data.truncated && (
                  <p className="stats-note">{t('stats.hotspots.truncated', { count: data.cells.length })}</p>
                )}
                <div className="stats-table-wrap">
                  <table className="stats-table">
                    <caption>{t('stats.hotspots.table')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('stats.hotspots.rank')}</th>
                        <th scope="col">{t('stats.hotspots.place')}</th>
                        <th scope="col">{t('stats.hotspots.count')}</th>
                        <th scope="col">{t('stats.hotspots.open')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.cells.slice(0, TOP).map((c, i) => (
                        <tr key={`${c.minLon},${c.minLat}`}>
                          <th scope="row">{i + 1}</th>
                          <td>{centre(c)}</td>
                          <td>
                            <a {...linkProps(href(c))}>{formatCount(c.count, lang)}</a>
                          </td>
                          <td>{formatCount(c.open, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          );
        }}
      </FigureStatus>
    </section>
  );
}
