/**
 * The top of the chat screen (R8): the contact's avatar, name, status (R5) and department,
 * on narrow screens a way back to the list, a phone button in 1:1 chats with
 * someone who has an extension (R11), and "Dados do contato" at the right.
 */
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { Presence } from "./Presence";
import { BackIcon, MenuIcon, PhoneIcon } from "./icons";

export function ChatHeader({
  id,
  name,
  avatarUrl,
  department,
  onBack,
  panelOpen,
  onTogglePanel,
  onCall,
  callDisabled = null,
  online = null,
}: {
  id: string;
  name: string;
  avatarUrl: string | null;
  department: string;
  onBack(): void;
  panelOpen: boolean;
  onTogglePanel(): void;
  /** A 1:1 chat with someone who has an extension (R11): call them at once. */
  onCall?: () => void;
  callDisabled?: string | null;
  /** The contact's status (R5); null while unknown. */
  online?: boolean | null;
}) {
  return (
    <header class="chat-header">
      <button type="button" class="icon-button back" aria-label={t.back} onClick={onBack}>
        <BackIcon />
      </button>
      <Avatar id={id} name={name} url={avatarUrl} size={40} />
      <div class="chat-title">
        <h2>{name}</h2>
        {(department || online !== null) && (
          <p class="muted small">
            <Presence online={online} label />
            {online !== null && department && " · "}
            {department}
          </p>
        )}
      </div>
      {onCall && (
        <button
          type="button"
          class="icon-button"
          aria-label={t.callTo(name)}
          title={callDisabled ?? t.callTo(name)}
          disabled={!!callDisabled}
          onClick={onCall}
        >
          <PhoneIcon />
        </button>
      )}
      <button
        type="button"
        class="icon-button panel-toggle"
        aria-label={t.contactData}
        title={t.contactData}
        aria-expanded={panelOpen}
        onClick={onTogglePanel}
      >
        <MenuIcon />
      </button>
    </header>
  );
}
