/**
 * The top of a group chat (R13): image or initials, name and member count, and
 * "Dados do grupo" at the right. Deliberately no call button: groups are never
 * called (R11).
 */
import { t } from "../../i18n";
import { Avatar } from "../Avatar";
import { BackIcon, MenuIcon } from "../icons";

export function GroupHeader({
  chatId,
  name,
  imageUrl,
  memberCount,
  onBack,
  panelOpen,
  onTogglePanel,
}: {
  chatId: string;
  name: string;
  imageUrl: string | null;
  memberCount: number | null;
  onBack(): void;
  panelOpen: boolean;
  onTogglePanel(): void;
}) {
  return (
    <header class="chat-header">
      <button type="button" class="icon-button back" aria-label={t.back} onClick={onBack}>
        <BackIcon />
      </button>
      <Avatar id={chatId} name={name} url={imageUrl} size={40} />
      <div class="chat-title">
        <h2>{name}</h2>
        {memberCount !== null && <p class="muted small">{t.memberCount(memberCount)}</p>}
      </div>
      <button
        type="button"
        class="icon-button panel-toggle"
        aria-label={t.groupData}
        title={t.groupData}
        aria-expanded={panelOpen}
        onClick={onTogglePanel}
      >
        <MenuIcon />
      </button>
    </header>
  );
}
