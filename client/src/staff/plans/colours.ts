/** Colours of rounds, distinct and dark enough for white numbers (WCAG AA). */
export const ROUTE_COLOURS = ['#0b5394', '#a4161a', '#2d6a4f', '#6a3d9a', '#8a4b08', '#1b6a7a', '#5c5c5c'];

/** The colour of round number `i`. */
export const routeColour = (i: number) => ROUTE_COLOURS[i % ROUTE_COLOURS.length]!;
