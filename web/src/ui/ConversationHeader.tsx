/**
 * The frame both chat headers share (1:1 in ChatHeader, groups in GroupHeader):
 * on narrow screens a way back to the list, the avatar, the name with one muted
 * line under it, any actions of that kind of chat, and the toggle of the side
 * panel ("Dados do contato" / "Dados do grupo") at the right.
 */
import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { BackIcon, MenuIcon } from "./icons";
import { IconButton } from "./IconButton";

export function ConversationHeader({
  avatarId,
  name,
  avatarUrl,
  subtitle,
  onBack,
  panelLabel,
  panelOpen,
  onTogglePanel,
  children,
}: {
  avatarId: string;
  name: string;
  avatarUrl: string | null;
  /** The muted line under the name; null leaves it out. */
  subtitle: ComponentChildren | null;
  onBack(): void;
  panelLabel: string;
  panelOpen: boolean;
  onTogglePanel(): void;
  /** Actions between the title and the panel toggle (the call button of a 1:1 chat). */
  children?: ComponentChildren;
}) {
  return (
    <header class="chat-header">
      <button type="button" class="icon-button back" aria-label={t.back} onClick={onBack}>
        <BackIcon />
      </button>
      <Avatar id={avatarId} name={name} url={avatarUrl} size={40} />
      <div class="chat-title">
        <h2>{name}</h2>
        {subtitle !== null && <p class="muted small">{subtitle}</p>}
      </div>
      {children}
      <IconButton class="panel-toggle" label={panelLabel} expanded={panelOpen} onClick={onTogglePanel}>
        <MenuIcon />
      </IconButton>
    </header>
  );
}
