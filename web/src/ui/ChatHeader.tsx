/**
 * The top of the chat screen (R8): the contact's avatar, name and department,
 * on narrow screens a way back to the list, and "Dados do contato" at the right.
 */
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { BackIcon, MenuIcon } from "./icons";

export function ChatHeader({
  id,
  name,
  avatarUrl,
  department,
  onBack,
  panelOpen,
  onTogglePanel,
}: {
  id: string;
  name: string;
  avatarUrl: string | null;
  department: string;
  onBack(): void;
  panelOpen: boolean;
  onTogglePanel(): void;
}) {
  return (
    <header class="chat-header">
      <button type="button" class="icon-button back" aria-label={t.back} onClick={onBack}>
        <BackIcon />
      </button>
      <Avatar id={id} name={name} url={avatarUrl} size={40} />
      <div class="chat-title">
        <h2>{name}</h2>
        {department && <p class="muted small">{department}</p>}
      </div>
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
