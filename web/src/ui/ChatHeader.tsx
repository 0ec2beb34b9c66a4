/**
 * The top of the chat screen (R8): the contact's avatar, name, status (R5) and department,
 * on narrow screens a way back to the list, a phone button in 1:1 chats with
 * someone who has an extension (R11), and "Dados do contato" at the right.
 */
import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { ConversationHeader } from "./ConversationHeader";
import { Presence } from "./Presence";
import { PhoneIcon } from "./icons";

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
  children,
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
  /** More actions ("Pesquisar nesta conversa"). */
  children?: ComponentChildren;
}) {
  return (
    <ConversationHeader
      avatarId={id}
      name={name}
      avatarUrl={avatarUrl}
      subtitle={
        department || online !== null ? (
          <>
            <Presence online={online} label />
            {online !== null && department && " · "}
            {department}
          </>
        ) : null
      }
      onBack={onBack}
      panelLabel={t.contactData}
      panelOpen={panelOpen}
      onTogglePanel={onTogglePanel}
    >
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
      {children}
    </ConversationHeader>
  );
}
