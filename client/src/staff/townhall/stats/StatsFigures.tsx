import type { StatsCategory, StatsInterval } from '../../../../../server/src/contract/stats';
import type { FilterParams } from '../filters';
import { BacklogFigure } from './BacklogFigure';
import { HotspotFigure } from './HotspotFigure';
import { ResolutionFigure } from './ResolutionFigure';
import { TimelineFigure } from './TimelineFigure';

/**
 * The charts of the statistics screen (loaded lazily with Chart.js and Leaflet, so the rest of
 * the staff area does not carry them).
 */
export default function StatsFigures({
  filter,
  interval,
  cell,
  categories,
  onCell,
}: {
  filter: FilterParams;
  interval: StatsInterval;
  cell: number;
  categories: readonly StatsCategory[];
  onCell: (metres: number) => void;
}) {
  return (
    <div className="stats-figures">
      <TimelineFigure filter={filter} interval={interval} categories={categories} />
      <BacklogFigure filter={filter} categories={categories} />
      <ResolutionFigure filter={filter} categories={categories} />
      <HotspotFigure filter={filter} cell={cell} onCell={onCell} />
    </div>
  );
}
