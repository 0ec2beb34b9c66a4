/**
 * How typed words match text, the same on the server (message search, R12) and in
 * the browser (names of chats and contacts): case- and accent-insensitive, every
 * word must be found, and a word found at the start of a word of the text ("rel"
 * in "relatório") ranks above one found inside a word ("lat" in "relatório").
 */

/** Lower case without diacritics: "Relatório" → "relatorio". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The query's distinct words, folded ("Relatório  MENSAL" → ["relatorio", "mensal"]). */
export function queryTerms(query: string): string[] {
  return [
    ...new Set(
      foldText(query)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ];
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** For folded text: 0 when some term is missing; otherwise 2 per term at a word start, 1 per term inside a word. */
export function matchScore(folded: string, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    let best = 0;
    for (let at = folded.indexOf(term); at !== -1 && best < 2; at = folded.indexOf(term, at + 1)) best = isWordChar(folded[at - 1]) ? 1 : 2;
    if (best === 0) return 0;
    score += best;
  }
  return score;
}
