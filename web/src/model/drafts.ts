/**
 * What a tab shows of its user's drafts (R9 "Rascunho"), merged from the shared
 * Yjs map and what was typed in this tab. Yjs settles two tabs writing the same
 * chat's draft at once by client id, not by time, so a late write from another
 * tab (a draft it had just before it sent it, say) can win over text typed here
 * a moment later — and this tab's composer would then send that old text (seen
 * in the delivery test: Ana's second tab sent her first tab's message again).
 * So for a second after typing here, this tab's text is what it shows, and when
 * the map says otherwise it is written again. A change another tab makes after
 * that (it sent the draft, it went on typing) is shown as it comes.
 */

/** How long text typed in this tab wins over a different draft coming from another tab. */
export const TYPED_HERE_WINS_MS = 1_000;

/** The draft as the map keeps it: blank text is no draft; longer text is cut. */
export const storedDraft = (text: string, max: number): string => (text.trim() === "" ? "" : text.slice(0, max));

export type TypedHere = ReadonlyMap<string, { text: string; at: number }>;

/**
 * The drafts to show (chat id → text) and the ones this tab must write again.
 * `unwritten` is typed here but not yet written; `typedHere` is the last text
 * typed here per chat, with when.
 */
export function mergeDrafts(
  shared: Iterable<[string, string]>,
  unwritten: ReadonlyMap<string, string>,
  typedHere: TypedHere,
  now: number,
  max: number,
): { shown: Map<string, string>; rewrite: [string, string][] } {
  const shown = new Map(shared);
  const rewrite: [string, string][] = [];
  for (const [chatId, mine] of typedHere) {
    if (now - mine.at > TYPED_HERE_WINS_MS || unwritten.has(chatId)) continue;
    if ((shown.get(chatId) ?? "") === storedDraft(mine.text, max)) continue;
    shown.set(chatId, mine.text);
    rewrite.push([chatId, mine.text]);
  }
  for (const [chatId, text] of unwritten) shown.set(chatId, text);
  return { shown, rewrite };
}
