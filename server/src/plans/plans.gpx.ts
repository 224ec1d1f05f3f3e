import type { PlanView } from '../contract/plans';

function esc(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

/**
 * A plan as GPX 1.1: one waypoint per stop (numbered as on the round sheet) and the route
 * depot → supply → stops → depot, for any navigation app.
 */
export function planToGpx(plan: PlanView): string {
  const pt = (tag: string, lat: number, lon: number, name: string, desc?: string) =>
    `  <${tag} lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"><name>${esc(name)}</name>${desc ? `<desc>${esc(desc)}</desc>` : ''}</${tag}>`;
  const wpts = plan.stops.map((s) =>
    pt(
      'wpt',
      s.report.lat,
      s.report.lon,
      `${s.position}. ${s.report.category.labelFr}`,
      s.report.description ?? undefined,
    ),
  );
  const route = [
    pt('rtept', plan.depot.lat, plan.depot.lon, 'Dépôt'),
    ...(plan.supply
      ? [pt('rtept', plan.supply.lat, plan.supply.lon, plan.supply.name ?? 'Approvisionnement')]
      : []),
    ...plan.stops.map((s) => pt('rtept', s.report.lat, s.report.lon, `${s.position}`)),
    pt('rtept', plan.depot.lat, plan.depot.lon, 'Dépôt'),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Vigie" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${esc(`${plan.crew.name} — ${plan.workType} — ${plan.date}`)}</name></metadata>`,
    ...wpts,
    `  <rte><name>${esc(`${plan.crew.name} ${plan.date}`)}</name>`,
    ...route.map((l) => `  ${l}`),
    '  </rte>',
    '</gpx>',
    '',
  ].join('\n');
}
