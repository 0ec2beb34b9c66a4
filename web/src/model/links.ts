/**
 * Links in message text (R9): the text split into plain runs and links, as found
 * by linkifyjs's `find` (passed in, so the library can load after the first
 * screen). Components render runs as text nodes and links as anchors, so nothing
 * in a message is ever parsed as HTML; only http(s) and mailto links count.
 */
import type { find as Find } from "linkifyjs";

export type TextPart = { text: string; href?: string };

export function linkParts(text: string, find: typeof Find | null): TextPart[] {
  if (!find) return [{ text }];
  const parts: TextPart[] = [];
  let at = 0;
  for (const link of find(text)) {
    if (!link.isLink || !/^(https?:|mailto:)/i.test(link.href)) continue;
    if (link.start > at) parts.push({ text: text.slice(at, link.start) });
    parts.push({ text: link.value, href: link.href });
    at = link.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
