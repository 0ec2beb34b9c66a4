/**
 * The top of a group chat (R13): image or initials, name and member count, any
 * actions given ("Pesquisar nesta conversa"), and "Dados do grupo" at the right. Deliberately no call button: groups are never
 * called (R11).
 */
import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import { ConversationHeader } from "../ConversationHeader";

export function GroupHeader({
  chatId,
  name,
  imageUrl,
  memberCount,
  onBack,
  panelOpen,
  onTogglePanel,
  children,
}: {
  chatId: string;
  name: string;
  imageUrl: string | null;
  memberCount: number | null;
  onBack(): void;
  panelOpen: boolean;
  onTogglePanel(): void;
  /** Actions beside the panel toggle ("Pesquisar nesta conversa"). */
  children?: ComponentChildren;
}) {
  return (
    <ConversationHeader
      avatarId={chatId}
      name={name}
      avatarUrl={imageUrl}
      subtitle={memberCount !== null ? t.memberCount(memberCount) : null}
      onBack={onBack}
      panelLabel={t.groupData}
      panelOpen={panelOpen}
      onTogglePanel={onTogglePanel}
    >
      {children}
    </ConversationHeader>
  );
}
