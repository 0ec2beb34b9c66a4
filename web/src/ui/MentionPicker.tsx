/**
 * Issue 17.6: typing "@" in a group's composer opens the list of members to
 * mention, filtered as one types ("@todos" first, for admins only). ↑/↓ move,
 * Enter or Tab pick, Escape closes it (until another "@"); a click picks too.
 * The text box keeps focus throughout and names the active option
 * (`aria-activedescendant`), as a list under a text box should.
 */
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { insertMention, mentionAt, mentionOptions, EVERYONE, type Member, type MentionOption } from "../model/mentions";

const LIST_ID = "mention-list";
const optionId = (i: number) => `mention-option-${i}`;

export type MentionSource = { members: readonly Member[]; me: string; isAdmin: boolean };

export function useMentionPicker(source: MentionSource | null, value: string, onInput: (text: string) => void) {
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  /** Where an "@" was dismissed with Escape: it does not reopen until the caret leaves it. */
  const [dismissed, setDismissed] = useState<number | null>(null);

  const at = source && caret !== null ? mentionAt(value, caret) : null;
  const options: MentionOption[] =
    at && at.start !== dismissed ? mentionOptions(source!.members, at.query, source!.me, source!.isAdmin) : [];
  const open = options.length > 0;
  const current = Math.min(active, options.length - 1);

  const follow = (el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? el.selectionStart : null;
    if (next !== caret) setActive(0);
    setCaret(next);
    const where = next !== null ? mentionAt(el.value, next) : null;
    if (dismissed !== null && where?.start !== dismissed) setDismissed(null);
  };

  const pick = (el: HTMLTextAreaElement | null, option: MentionOption) => {
    if (!at || caret === null) return;
    const next = insertMention(value, at.start, caret, option.name);
    onInput(next.text);
    setCaret(next.caret);
    // The name just put in would match itself: the list stays closed until another "@".
    setDismissed(at.start);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  };

  /** Focus left the text box: the list closes. */
  const leave = () => setCaret(null);

  /** The text box's keys while the list is open; true when the key was the list's. */
  const onKeyDown = (e: KeyboardEvent): boolean => {
    if (!open) return false;
    const el = e.currentTarget as HTMLTextAreaElement;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setActive((current + (e.key === "ArrowDown" ? 1 : -1) + options.length) % options.length);
      return true;
    }
    if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
      e.preventDefault();
      pick(el, options[current]!);
      return true;
    }
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      setDismissed(at!.start);
      return true;
    }
    return false;
  };

  const textboxProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? LIST_ID : undefined,
    "aria-activedescendant": open ? optionId(current) : undefined,
  };

  const list = open ? (
    <ul id={LIST_ID} class="mention-list" role="listbox" aria-label={t.mentionList}>
      {options.map((o, i) => (
        <li
          key={o.id}
          id={optionId(i)}
          role="option"
          aria-selected={i === current}
          class={i === current ? "active" : undefined}
          // Keep the focus in the text box: the choice is made on mousedown.
          onMouseDown={(e) => {
            e.preventDefault();
            pick(document.querySelector<HTMLTextAreaElement>(".composer textarea"), o);
          }}
        >
          <span class="mention-name">@{o.name}</span>
          {o.id === EVERYONE && <span class="muted small"> {t.mentionEveryone}</span>}
        </li>
      ))}
    </ul>
  ) : null;

  return { follow, leave, onKeyDown, textboxProps, list };
}
