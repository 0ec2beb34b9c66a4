/**
 * Issue 17.6 (on demand, its own chunk, fetched when a group's composer shows):
 * typing "@" opens the list of members to mention, filtered as one types
 * ("@todos" first, for admins only). ↑/↓ move, Enter or Tab pick, Escape closes
 * it (until another "@"); a click picks too. The text box keeps the focus and
 * names the active option (`aria-activedescendant`). It attaches to the
 * composer's text box and takes these keys before the composer does, so Enter
 * picks a name instead of sending.
 */
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { tx } from "../i18n-chat-extras";
import { insertMention, mentionAt, mentionOptions } from "../model/mention-typing";
import { EVERYONE } from "../model/mentions";
import { mentionSource } from "../stores/mention-source";

const LIST_ID = "mention-list";
const optionId = (i: number) => `mention-option-${i}`;

type Props = { area: RefObject<HTMLTextAreaElement | null>; value: string; onInput(text: string): void };

export default function MentionPicker({ area, value, onInput }: Props) {
  const source = mentionSource.value;
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  /** Where an "@" was closed (Escape, or a name picked): it does not reopen until another "@". */
  const [closedAt, setClosedAt] = useState<number | null>(null);

  const at = caret !== null ? mentionAt(value, caret) : null;
  const options = source && at && at.start !== closedAt ? mentionOptions(source.members, at.query, source.me, source.isAdmin) : [];
  const open = options.length > 0;
  const current = Math.min(active, options.length - 1);

  const pick = (i: number) => {
    const el = area.current;
    if (!at || caret === null || !el) return;
    const next = insertMention(value, at.start, caret, options[i]!.name);
    // The text and the caret go into the box at once: placed a frame later, the caret jumped back behind
    // whatever was typed meanwhile ("@todos união às 16hre" from "@to", Tab, "reunião às 16h").
    el.value = next.text;
    el.focus();
    el.setSelectionRange(next.caret, next.caret);
    onInput(next.text);
    setCaret(next.caret);
    setClosedAt(at.start);
  };

  // The handlers change with every render; the listeners stay and call the latest.
  const latest = useRef({ open, current, count: options.length, pick, closeHere: () => at && setClosedAt(at.start) });
  latest.current = { open, current, count: options.length, pick, closeHere: () => at && setClosedAt(at.start) };

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    let last: number | null = null;
    const follow = () => {
      const next = el.selectionStart === el.selectionEnd ? el.selectionStart : null;
      if (next !== last) setActive(0);
      last = next;
      setCaret(next);
    };
    const leave = () => setCaret(null);
    const keys = (e: KeyboardEvent) => {
      const l = latest.current;
      if (!l.open || e.isComposing) return;
      const take = () => {
        e.preventDefault();
        e.stopImmediatePropagation();
      };
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        take();
        setActive((l.current + (e.key === "ArrowDown" ? 1 : -1) + l.count) % l.count);
      } else if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
        take();
        l.pick(l.current);
      } else if (e.key === "Escape") {
        take();
        l.closeHere();
      }
    };
    // Capturing at the text box runs before the composer's own key handler.
    el.addEventListener("keydown", keys, { capture: true });
    for (const type of ["input", "keyup", "click"]) el.addEventListener(type, follow);
    el.addEventListener("blur", leave);
    // Fetched on demand: an "@" typed before this arrived is read now.
    if (document.activeElement === el) follow();
    return () => {
      el.removeEventListener("keydown", keys, { capture: true });
      for (const type of ["input", "keyup", "click"]) el.removeEventListener(type, follow);
      el.removeEventListener("blur", leave);
    };
  }, [area.current]);

  // A name typed over a closed "@" and then a new "@" elsewhere: that one opens.
  useEffect(() => {
    if (closedAt !== null && at?.start !== closedAt) setClosedAt(null);
  }, [at?.start]);

  // The text box names the list and its active option while it is open.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.setAttribute("aria-autocomplete", "list");
    if (open) {
      el.setAttribute("aria-controls", LIST_ID);
      el.setAttribute("aria-activedescendant", optionId(current));
    } else {
      el.removeAttribute("aria-controls");
      el.removeAttribute("aria-activedescendant");
    }
  });
  useEffect(
    () => () => {
      for (const a of ["aria-autocomplete", "aria-controls", "aria-activedescendant"]) area.current?.removeAttribute(a);
    },
    [],
  );

  if (!open) return null;
  return (
    <ul id={LIST_ID} class="mention-list" role="listbox" aria-label={tx.mentionList}>
      {options.map((o, i) => (
        <li
          key={o.id}
          id={optionId(i)}
          role="option"
          aria-selected={i === current}
          class={i === current ? "active" : undefined}
          // The text box keeps the focus: the choice is made on mousedown.
          onMouseDown={(e) => {
            e.preventDefault();
            pick(i);
          }}
        >
          <span class="mention-name">@{o.name}</span>
          {o.id === EVERYONE && <span class="muted small"> {tx.mentionEveryone}</span>}
        </li>
      ))}
    </ul>
  );
}
