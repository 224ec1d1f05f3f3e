import type { ReportStatus } from '../../../../../server/src/contract/common';

/**
 * Colours of the charts: statuses in a warm-to-cool order (to do, under way, done, set aside),
 * categories from a palette distinguishable with the common colour-vision deficiencies
 * (Okabe-Ito, then darker tints). Each chart also has a table: colour is never the only cue.
 */
export const STATUS_COLOURS: Record<ReportStatus, string> = {
  new: '#d55e00',
  acknowledged: '#e69f00',
  planned: '#f0c400',
  in_progress: '#56b4e9',
  fixed: '#009e73',
  not_fixable: '#7f7f7f',
  duplicate: '#b4a7d6',
  rejected: '#4d4d4d',
};

const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
  '#004d80',
  '#8c6d00',
  '#006b4e',
  '#8f4f75',
];

/** A category's colour: by its place among the categories in view, so every chart agrees. */
export function categoryColour(code: string, codes: readonly { code: string }[]): string {
  const n = Math.max(
    0,
    codes.findIndex((c) => c.code === code),
  );
  return PALETTE[n % PALETTE.length]!;
}

/** Heat colours of the hotspot map, light to dark (sequential, readable without colour on the table). */
export const HEAT = ['#fee8c8', '#fdbb84', '#fc8d59', '#e34a33', '#b30000'];

/** The heat colour of a count relative to the busiest cell. */
export function heatColour(count: number, max: number): string {
  if (max <= 0) return HEAT[0]!;
  const i = Math.min(HEAT.length - 1, Math.floor((count / max) * HEAT.length));
  return HEAT[i]!;
}
