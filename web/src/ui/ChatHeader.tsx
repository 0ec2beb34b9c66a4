/**
 * The top of the chat screen (R8): the contact's avatar, name and department,
 * and on narrow screens a way back to the list.
 */
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { BackIcon } from "./icons";

export function ChatHeader({
  id,
  name,
  avatarUrl,
  department,
  onBack,
}: {
  id: string;
  name: string;
  avatarUrl: string | null;
  department: string;
  onBack(): void;
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
    </header>
  );
}
