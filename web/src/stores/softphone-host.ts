/**
 * The softphone's seam to the first screen: the stores it reads (who is signed
 * in, the contacts) and its socket to the user's room, handed over by
 * ui/calls/loader.tsx as the session starts rather than imported by the on-demand code. esbuild splits by
 * module: every first-screen module the softphone imported would move to a chunk
 * shared with the first screen, and each symbol the first screen takes from a
 * shared chunk costs bytes there (issue 7 keeps the first screen from growing).
 * Only this object and small pure modules (preact, signals, dates, search) are shared.
 */
import type { contactById, contacts, otherContacts } from "./contacts";
import type { userRoomId } from "../../../protocol/ids";
import type { openRoomSocket } from "./room-socket";
import type { session } from "./session";

export type Host = {
  session: typeof session;
  contacts: typeof contacts;
  contactById: typeof contactById;
  otherContacts: typeof otherContacts;
  openRoomSocket: typeof openRoomSocket;
  userRoomId: typeof userRoomId;
};

/** Filled by ui/calls/loader.tsx as the session starts, before any softphone module runs. */
export const host = {} as Host;
