/**
 * The softphone's seam to the first screen: the stores it reads (who is signed
 * in, the contacts), the hub socket (call history), the one-time SIP tickets and
 * the deployment's public settings, handed over by ui/calls/loader.tsx as the
 * session starts rather than imported by the on-demand code. esbuild splits by
 * module: every first-screen module the softphone imported would move to a chunk
 * shared with the first screen, and each symbol the first screen takes from a
 * shared chunk costs bytes there (issue 7 keeps the first screen from growing).
 * Only this object and small pure modules (preact, signals, dates, search) are shared.
 */
import type { SipTicket, ApiResult, PublicConfig } from "./api";
import type { contactById, contacts, otherContacts } from "./contacts";
import type { onHub, sendToHub } from "./hub";
import type { session } from "./session";

export type Host = {
  session: typeof session;
  contacts: typeof contacts;
  contactById: typeof contactById;
  otherContacts: typeof otherContacts;
  onHub: typeof onHub;
  sendToHub: typeof sendToHub;
  /** A new one-time SIP ticket for the signed-in user (null when nobody is). */
  sipTicket(): Promise<ApiResult<SipTicket> | null>;
  /** The deployment's public settings (embedding origins, softphone on or off). */
  publicConfig(): Promise<PublicConfig | null>;
};

/** Filled by ui/calls/loader.tsx as the session starts, before any softphone module runs. */
export const host = {} as Host;
