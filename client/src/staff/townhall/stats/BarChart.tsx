import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartEvent,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** One series of bars (one colour). */
export interface BarSeries {
  label: string;
  data: number[];
  colour: string;
}

/**
 * A bar chart drawn by Chart.js on a canvas. The canvas is an image to assistive technology
 * (`role="img"` with a description); the figures themselves are in the table every screen puts
 * next to it, whose cells are links too. Clicking a bar calls `onSelect(series, index)`.
 */
export function BarChart({
  labels,
  series,
  label,
  stacked = false,
  horizontal = false,
  height = 300,
  onSelect,
  format,
}: {
  labels: string[];
  series: BarSeries[];
  /** What the chart shows, for screen readers (says where the table is). */
  label: string;
  stacked?: boolean;
  horizontal?: boolean;
  height?: number;
  onSelect?: (series: number, index: number) => void;
  /** Formats a value for the axis and tooltips. */
  format?: (value: number) => string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const fmt = useRef(format);
  fmt.current = format;
  // Rebuilt when the data changes (cheap at these sizes; keeps Chart.js state out of React's).
  const key = JSON.stringify([labels, series, stacked, horizontal]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const valueAxis = {
      stacked,
      beginAtZero: true,
      ticks: { precision: 0, callback: (v: string | number) => (fmt.current ? fmt.current(Number(v)) : v) },
    };
    const chart = new Chart(el, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.colour })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        scales: horizontal ? { x: valueAxis, y: { stacked } } : { x: { stacked }, y: valueAxis },
        interaction: { mode: 'nearest', intersect: true },
        plugins: {
          legend: { position: 'bottom', display: series.length > 1 },
          tooltip: {
            callbacks: {
              label: (item) => {
                const v = Number(item.raw);
                return `${item.dataset.label ?? ''}: ${fmt.current ? fmt.current(v) : v}`;
              },
            },
          },
        },
        onHover: (_e: ChartEvent, active) => {
          el.style.cursor = active.length > 0 && select.current ? 'pointer' : 'default';
        },
        onClick: (_e: ChartEvent, active) => {
          const hit = active[0];
          if (hit) select.current?.(hit.datasetIndex, hit.index);
        },
      },
    });
    return () => chart.destroy();
    // `key` stands for the data.
  }, [key]);

  return (
    <div className="stats-chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label}>
        {label}
      </canvas>
    </div>
  );
}
