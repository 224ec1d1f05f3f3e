import { OPEN311_LIMITS, type Open311RequestsQuery } from '../contract/open311';
import { ValidationError } from '../errors';

const DAY_MS = 86_400_000;

/**
 * The window of a requests query: both ends given (at most 90 days apart), one end and 90 days
 * from it, or the most recent 90 days (the specification's default).
 */
export function requestsWindow(
  q: Pick<Open311RequestsQuery, 'start_date' | 'end_date'>,
  at: Date,
): { from: Date; to: Date } {
  const span = OPEN311_LIMITS.windowDays * DAY_MS;
  const { start_date: start, end_date: end } = q;
  if (start && end) {
    if (start > end)
      throw ValidationError('start_date must be before end_date.', 'start_date', 'invalid_window');
    if (end.getTime() - start.getTime() > span)
      throw ValidationError(
        `start_date and end_date may not be more than ${OPEN311_LIMITS.windowDays} days apart.`,
        'end_date',
        'invalid_window',
      );
    return { from: start, to: end };
  }
  if (start) return { from: start, to: new Date(start.getTime() + span) };
  if (end) return { from: new Date(end.getTime() - span), to: end };
  return { from: new Date(at.getTime() - span), to: at };
}
