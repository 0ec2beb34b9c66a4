/**
 * The composer (R9, text for now): a text box named "Mensagem" and "Enviar".
 * Enter sends, Shift+Enter adds a line; emojis are plain text. The 4,000-character
 * limit shows as a counter once it is near, and sending stops above it.
 */
import { useEffect, useRef } from "preact/hooks";
import { MAX_TEXT } from "../../../protocol/frames";
import { t } from "../i18n";
import { SendIcon } from "./icons";

const SHOW_COUNT_FROM = MAX_TEXT - 500;

export function Composer({
  chatId,
  value,
  onInput,
  onSend,
}: {
  chatId: string;
  value: string;
  onInput(text: string): void;
  onSend(text: string): boolean;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const tooLong = value.length > MAX_TEXT;
  const empty = value.trim().length === 0;

  // Focus goes to the composer whenever a chat opens.
  useEffect(() => area.current?.focus(), [chatId]);

  // Grow with the text up to a few lines, then scroll inside.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [value]);

  function submit() {
    if (empty || tooLong) return;
    if (onSend(value)) area.current?.focus();
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div class="composer-box">
        <textarea
          ref={area}
          rows={1}
          aria-label={t.message}
          placeholder={t.message}
          value={value}
          aria-invalid={tooLong || undefined}
          aria-describedby={value.length >= SHOW_COUNT_FROM ? "composer-count" : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {value.length >= SHOW_COUNT_FROM && (
          <span id="composer-count" class={`count${tooLong ? " over" : ""}`}>
            {tooLong ? `${t.tooLong(MAX_TEXT)} ` : ""}
            {t.charCount(value.length, MAX_TEXT)}
          </span>
        )}
      </div>
      <button type="submit" class="send" aria-label={t.send} title={t.send} disabled={empty || tooLong}>
        <SendIcon size={20} />
      </button>
    </form>
  );
}
