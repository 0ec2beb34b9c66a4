/**
 * The drafts room (R9 "Rascunho"): one Yjs document per user, room id
 * `<tenant>.<userId>`, holding a `Y.Map` from chat id to the text typed but not
 * sent there. It only carries drafts: the message log and permissions never live
 * in Yjs. The runtime adapters (party/partykit/drafts.ts on y-partykit,
 * party/workers/drafts.ts on y-partyserver) host the doc; this module holds what
 * they and the web client share, with no runtime import.
 */
import type { PartyName } from "../../../protocol";
import { mayReachRoom, type Identity } from "../../domain/session";

export const DRAFTS_PARTY: PartyName = "drafts";
/** Name of the Y.Map (chat id → draft text) inside the user's doc. */
export const DRAFTS_MAP = "drafts";
/** Longest draft kept; longer text is cut (a message cannot be longer either). */
export const MAX_DRAFT = 4000;

/**
 * The room checks the caller again after the edge (defence in depth): only the
 * owner reaches a drafts doc. Returns the close code to refuse with, or null.
 */
export function refuseDraftsConnection(who: Identity | null, roomId: string): number | null {
  if (!who) return 4001;
  return mayReachRoom(who, DRAFTS_PARTY, roomId) ? null : 4003;
}
