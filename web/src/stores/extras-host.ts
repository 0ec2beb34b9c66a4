/**
 * Inside issue 17's on-demand chunk: the first screen's stores as handed over by
 * ui/extras-door.tsx when the chunk arrives (see stores/chat-extras-host.ts),
 * before any of its parts runs.
 */
import { t } from "../i18n";
import type { ChatExtrasHost } from "./chat-extras-host";

export const host = {} as ChatExtrasHost;

/** A person as the chat names them ("Você" for oneself). */
export const nameOf = (userId: string): string =>
  userId === host.session.value?.user.id ? t.you : (host.contactById.value.get(userId)?.name ?? userId);

export const avatarOf = (userId: string): string | null => host.contactById.value.get(userId)?.avatarUrl ?? null;
