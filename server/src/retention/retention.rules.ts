/**
 * Which closed report loses which personal data, and when (pure: dates and settings in,
 * decisions out; the clock is passed in). Periods are counted from the report's closure
 * (`reports.closed_at`) in calendar months in UTC:
 *
 *   contact step   closed at or before now − contactMonths: the email address, the language,
 *                  the unsubscription, every email row and unsubscribe token are removed;
 *   location step  closed at or before now − locationYears: the location is rounded, the
 *                  address reduced to its street, the texts cleared, the photos deleted, the
 *                  history's free texts redacted and the report unlinked from the device.
 *
 * The location step comes after the contact step (the settings forbid the reverse), so a
 * report that is due for it has lost its contact data already, in the same run at the latest.
 * Open reports keep everything: they are still being dealt with.
 */

/** A commune's retention periods. */
export interface RetentionPeriods {
  contactMonths: number;
  locationYears: number;
}

/** A report is due for a step when it was closed at or before that step's cutoff. */
export interface RetentionCutoffs {
  contactBefore: Date;
  locationBefore: Date;
}

/** What the retention job does to a report. */
export type RetentionStep = 'contact' | 'location';

/**
 * `d` moved back by `months` calendar months (UTC), the day clamped to the target month's
 * length: 31 March minus one month is 28 (or 29) February, at the same time of day.
 */
export function subtractMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      Math.min(d.getUTCDate(), lastDay),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
}

/** The cutoffs of a run at `now`. */
export function retentionCutoffs(p: RetentionPeriods, now: Date): RetentionCutoffs {
  return {
    contactBefore: subtractMonths(now, p.contactMonths),
    locationBefore: subtractMonths(now, p.locationYears * 12),
  };
}

/** The steps due for a report closed at `closedAt` (null: open), in the order they apply. */
export function stepsDue(closedAt: Date | null, p: RetentionPeriods, now: Date): RetentionStep[] {
  if (!closedAt) return [];
  const c = retentionCutoffs(p, now);
  const steps: RetentionStep[] = [];
  if (closedAt.getTime() <= c.contactBefore.getTime()) steps.push('contact');
  if (closedAt.getTime() <= c.locationBefore.getTime()) {
    if (!steps.includes('contact')) steps.push('contact');
    steps.push('location');
  }
  return steps;
}

/**
 * Keys of a history entry's `data` that carry no personal data and stay after redaction:
 * category codes, photo counts, the kept report of a duplicate, plan ids and dates, what a
 * refused crew update asked for. Everything else (notes, public texts, reasons, old
 * locations, any key added later) is removed: a list of what stays is safer than a list of
 * what goes.
 */
export const EVENT_DATA_KEPT = [
  'category',
  'photos',
  'duplicateOf',
  'planId',
  'date',
  'at',
  'requested',
  'kept',
  'demo',
  'priority',
  'hidden',
  'changed',
] as const;

/** A history entry's data after redaction (what the SQL of retention.repo.ts writes). Pure. */
export function redactEventData(data: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(
    Object.entries(data).filter(([k]) => (EVENT_DATA_KEPT as readonly string[]).includes(k)),
  );
  const removed = Object.keys(data).some(
    (k) => k !== 'redacted' && !(EVENT_DATA_KEPT as readonly string[]).includes(k),
  );
  return removed ? { ...kept, redacted: true } : data;
}

/** The street of an address label: "12 bis Rue de l'Église" gives "Rue de l'Église". Pure. */
export function streetOnly(label: string): string {
  return label.replace(STREET_NUMBER, '');
}

/**
 * A leading house number with its suffix ("12", "12bis", "12 bis", "3 B"). The same pattern is
 * used in SQL (retention.repo.ts) when the address table does not know the label.
 */
export const STREET_NUMBER = /^\s*[0-9]+[a-z]*(\s+(bis|ter|quater|quinquies|[a-z]))?\s+/i;
