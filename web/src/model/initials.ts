/**
 * The letters an avatar shows when there is no picture: the first letter of the
 * first and of the last word that start with a letter or digit, counted in
 * graphemes (what people see as one character), so a trailing emoji or symbol
 * ("Equipe ✔", "Suporte 🚀") never becomes half an initial. A name with no
 * letter at all (an emoji-only group) shows its first grapheme.
 */
const segmenter = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter("pt-BR", { granularity: "grapheme" }) : null;

function graphemes(text: string): string[] {
  return segmenter ? [...segmenter.segment(text)].map((s) => s.segment) : Array.from(text);
}

const LETTER = /^[\p{L}\p{N}]/u;

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const lettered = words.filter((w) => LETTER.test(w));
  if (lettered.length === 0) return graphemes(name.trim())[0] ?? "?";
  const first = graphemes(lettered[0]!)[0]!;
  const last = lettered.length > 1 ? graphemes(lettered.at(-1)!)[0]! : "";
  return (first + last).toLocaleUpperCase("pt-BR");
}
