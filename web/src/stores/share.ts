/**
 * Fetches the whole customer conversation behind a share card (R30) from the
 * chat room, which serves it to the chat's members only; the session's token
 * goes in the Authorization header, never in the address.
 */
import { chatRoomId } from "../../../protocol/ids";
import type { Transcript } from "../../../protocol/share";
import { fetchWithSession, session } from "./session";

export type TranscriptResult = { ok: true; transcript: Transcript } | { ok: false; gone: boolean };

export async function loadTranscript(chatId: string, shareId: string): Promise<TranscriptResult> {
  const s = session.peek();
  if (!s) return { ok: false, gone: false };
  const url = `/parties/chat/${encodeURIComponent(chatRoomId(s.tenant, chatId))}/shares/${shareId}`;
  try {
    const res = await fetchWithSession(url);
    if (!res) return { ok: false, gone: false };
    if (!res.ok) return { ok: false, gone: res.status === 404 };
    return { ok: true, transcript: (await res.json()) as Transcript };
  } catch {
    return { ok: false, gone: false };
  }
}
