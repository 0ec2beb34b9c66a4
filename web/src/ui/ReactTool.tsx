/**
 * Issue 17.5 (on demand): "Reagir" beside a message's "⋮" (shown on hover or
 * focus) and the quick emojis it opens — also opened by "Reagir" in the menu
 * (stores/view.ts's `reacting`); closing them gives the focus back to it.
 */
import { useRef } from "preact/hooks";
import { t } from "../i18n";
import { host } from "../stores/extras-host";
import { SmileIcon } from "./extras-icons";
import { uiHost } from "./extras-ui-host";
import ReactionPicker from "./ReactionPicker";

export default function ReactTool({ seq, onPick }: { seq: number; onPick(emoji: string): void }) {
  const button = useRef<HTMLButtonElement>(null);
  const open = host.reacting.value === seq;
  const close = (refocus: boolean) => {
    if (host.reacting.peek() === seq) host.reacting.value = null;
    if (refocus) button.current?.focus();
  };
  return (
    <>
      <uiHost.IconButton
        buttonRef={button}
        class="small react-button"
        label={t.react}
        expanded={open}
        onClick={() => (host.reacting.value = open ? null : seq)}
      >
        <SmileIcon size={18} />
      </uiHost.IconButton>
      {open && <ReactionPicker onPick={onPick} onClose={close} />}
    </>
  );
}
