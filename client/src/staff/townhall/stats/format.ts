import type { StatsCategory, StatsInterval } from '../../../../../server/src/contract/stats';

/** How the statistics screen writes numbers, days and periods, in the screen's language. */

const locale = (lang: string) => (lang.startsWith('en') ? 'en-GB' : 'fr-FR');

/** A count, with the language's thousands separator. */
export function formatCount(n: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** Hours as days with one decimal ("2,5" in French). */
export function formatDays(hours: number | null, lang: string): string {
  if (hours === null) return '—';
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
    hours / 24,
  );
}

/** A period by its first day: "nov. 2026", "semaine du 30 nov.", "30 nov. 2026". */
export function formatPeriod(
  period: string,
  interval: StatsInterval,
  lang: string,
  weekPrefix: string,
): string {
  const d = new Date(`${period}T00:00:00Z`);
  const l = locale(lang);
  if (interval === 'month')
    return new Intl.DateTimeFormat(l, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  const day = new Intl.DateTimeFormat(l, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
  return interval === 'week' ? `${weekPrefix} ${day}` : day;
}

/** A category's label in the screen's language (its code when unknown). */
export function categoryLabel(code: string, categories: readonly StatsCategory[], lang: string): string {
  const c = categories.find((x) => x.code === code);
  if (!c) return code;
  return lang.startsWith('en') ? c.labelEn : c.labelFr;
}
