import type { AddressView } from '../../../../../server/src/contract/addresses';

/** Address suggestions of the history screen's address filter (pure). */

/** A suggestion: a whole street (filters every number of it) or one address (also shows it on the map). */
export interface AddressChoice {
  text: string;
  /** The place of a single address; absent for a whole street. */
  at?: { lat: number; lon: number };
}

/** Most suggestions shown. */
const MAX_SUGGESTIONS = 10;

/** Streets first (each once, at most five), then the addresses themselves, best matches first. */
export function suggestionsOf(items: readonly AddressView[]): AddressChoice[] {
  const streets = [...new Set(items.map((a) => a.street))].slice(0, 5).map((s) => ({ text: s }));
  const labels = items
    .filter((a) => a.label !== a.street)
    .map((a) => ({ text: a.label, at: { lat: a.lat, lon: a.lon } }));
  return [...streets, ...labels].slice(0, MAX_SUGGESTIONS);
}
