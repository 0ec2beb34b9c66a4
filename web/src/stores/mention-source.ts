/**
 * Issue 17.6 in the open group: who "@" can mention (the other members, by the
 * names the directory gives them) and whether "@todos" is offered (admins
 * only); and who a message written there mentions, read from its text as it is
 * sent. Runs in the on-demand chunk (ui/chat-extras.ts).
 */
import { computed } from "@preact/signals";
import { mentionsIn } from "../model/mention-text";
import type { Member } from "../model/mentions";
import { host } from "./extras-host";

export type MentionSource = { members: readonly Member[]; me: string; isAdmin: boolean };

/** null outside groups. */
export const mentionSource = computed((): MentionSource | null => {
  const g = host.group.value;
  const me = host.session.value?.user.id;
  if (!g || !me) return null;
  return {
    members: g.members.map((m) => ({ id: m.userId, name: host.contactById.value.get(m.userId)?.name ?? m.userId })),
    me,
    isAdmin: g.members.some((m) => m.userId === me && m.role === "admin"),
  };
});

/** The people a message about to be sent in the open chat mentions (none outside groups). */
export function mentionsFor(text: string): string[] {
  const s = mentionSource.peek();
  return s ? mentionsIn(text, s.members, s.me, s.isAdmin) : [];
}
