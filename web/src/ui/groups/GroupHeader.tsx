/**
 * The top of a group chat (R13): image or initials, name and member count, and
 * "Dados do grupo" at the right. Deliberately no call button: groups are never
 * called (R11).
 */
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
    <ConversationHeader
      avatarId={chatId}
      name={name}
      avatarUrl={imageUrl}
      subtitle={memberCount !== null ? t.memberCount(memberCount) : null}
      onBack={onBack}
      panelLabel={t.groupData}
      panelOpen={panelOpen}
      onTogglePanel={onTogglePanel}
    />
  );
}
