/**
 * Inside issue 17's on-demand chunk: the first screen's components its parts use,
 * handed over by ui/extras-door.tsx when the chunk arrives, like the stores of
 * stores/chat-extras-host.ts (and for the same reason).
 */
import type { EmojiButton } from "./EmojiButton";
import type { IconButton } from "./IconButton";
import type { Modal } from "./Modal";
import type { SearchInput } from "./SearchField";

export const uiHost = {} as {
  Modal: typeof Modal;
  EmojiButton: typeof EmojiButton;
  IconButton: typeof IconButton;
  SearchInput: typeof SearchInput;
};
