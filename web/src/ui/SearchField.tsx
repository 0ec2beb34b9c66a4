/**
 * The "Pesquisar" field (R12): searching starts at the 3rd character; Escape or
 * the clear button empties it and shows the conversation list again; ArrowDown
 * goes on to the results.
 */
import { t } from "../i18n";
import { CloseIcon, SearchIcon } from "./icons";

export function SearchField({ value, onChange, onArrowDown }: { value: string; onChange(value: string): void; onArrowDown?: () => void }) {
  return (
    <div class="search" role="search">
      <SearchIcon size={18} />
      <input
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
