/**
 * The "Pesquisar" field (R12): searching starts at the 3rd character; Escape or
 * the clear button empties it and shows the conversation list again; ArrowDown
 * goes on to the results. After sign-in it has the keyboard.
 */
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import { CloseIcon, SearchIcon } from "./icons";

export function SearchField({
  value,
  onChange,
  onArrowDown,
  focusOnMount = false,
}: {
  value: string;
  onChange(value: string): void;
  onArrowDown?: () => void;
  /** Take the keyboard when shown, unless something else already has it (right after sign-in). */
  focusOnMount?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (focusOnMount && (!active || active === document.body)) input.current?.focus();
  }, []);
  return (
    <div class="search" role="search" aria-label={t.searchRegion}>
      <SearchIcon size={18} />
      <input
        ref={input}
        type="search"
        aria-label={t.search}
        placeholder={t.search}
        value={value}
        onInput={(e) => onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onChange("");
          } else if (e.key === "ArrowDown" && onArrowDown) {
            e.preventDefault();
            onArrowDown();
          }
        }}
        autocomplete="off"
        spellcheck={false}
      />
      {value && (
        <button type="button" class="icon-button small" aria-label={t.clearSearch} onClick={() => onChange("")}>
          <CloseIcon size={16} />
        </button>
      )}
    </div>
  );
}
