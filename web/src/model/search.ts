/**
 * Contact search (R4, R12): starts at the 3rd typed character and ignores accents
 * and case, so "joa" finds "João" and "ANGELO" finds "Rafael Ângelo".
 */

import { foldText } from "../../../protocol/text-match";

export const MIN_QUERY = 3;

/** Lower-cased text without diacritics, for comparing what people type with names (as the server does). */
export const fold = foldText;

/** Whether a query is long enough to search; shorter ones show the conversation list. */
export function isSearchQuery(query: string): boolean {
  return fold(query).trim().length >= MIN_QUERY;
}

/** The items whose name contains the query, keeping their order; null when the query is too short. */
export function searchByName<T extends { name: string }>(items: readonly T[], query: string): T[] | null {
  if (!isSearchQuery(query)) return null;
  const needle = fold(query).trim().replace(/\s+/g, " ");
  return items.filter((item) => fold(item.name).replace(/\s+/g, " ").includes(needle));
}
