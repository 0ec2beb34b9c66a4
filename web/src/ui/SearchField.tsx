/**
 * The "Pesquisar" field (R12): searching starts at the 3rd character; Escape or
 * the clear button empties it and shows the conversation list again; ArrowDown
 * goes on to the results. After sign-in it has the keyboard.
 */
import type { Ref } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import { CloseIcon, SearchIcon } from "./icons";

/**
 * A search box named by `label` (read out, and shown while it is empty). `keys`:
 * what a key does in it, instead of what it would do (Escape to clear or close…).
 */
export function SearchInput({
  label,
  onValue,
  keys,
  inputRef,
  ...attributes
}: {
  label: string;
  value: string;
  onValue(value: string): void;
  keys: Record<string, (e: KeyboardEvent) => void>;
  inputRef?: Ref<HTMLInputElement>;
  "aria-describedby"?: string;
  autocomplete?: string;
  spellcheck?: boolean;
}) {
  return (
    <input
      ref={inputRef}
      type="search"
      aria-label={label}
      placeholder={label}
      onInput={(e) => onValue(e.currentTarget.value)}
      onKeyDown={(e) => {
        const act = keys[e.key];
        if (act) {
          e.preventDefault();
          act(e);
        }
      }}
      {...attributes}
    />
  );
}

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
      <SearchInput
        inputRef={input}
        label={t.search}
        value={value}
        onValue={onChange}
        keys={{ Escape: () => onChange(""), ...(onArrowDown && { ArrowDown: onArrowDown }) }}
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
