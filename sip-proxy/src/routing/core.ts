/**
 * What the proxy's collaborators (hang-ups, PBX registrations) may ask of its
 * core: send a request the proxy makes itself through a client transaction and
 * learn its final status, answer a request, and end a call (record, media). Kept
 * this narrow so each collaborator is readable on its own and testable with a
 * stand-in core.
 */
import type { Header, SipRequest } from "../sip/message";
import type { EndReason } from "../records";
import type { Caller } from "../session";
import type { Log } from "../log";
import type { Call, Peer } from "./calls";

export interface ProxyCore {
  /** Sends `request` through a client transaction; resolves with its final status (408 on timeout). `onBehalf`'s credentials answer a challenge. */
  send(request: SipRequest, target: Peer, onBehalf?: Caller): Promise<number>;
  /** The Via the proxy puts on a request to `target`, with a new branch. */
  via(target: Peer): string;
  /** Whether `peer` can still be reached (a browser socket may be gone). */
  reachable(peer: Peer): boolean;
  reply(to: Peer, req: SipRequest, status: number, reason: string, extra?: Header[]): void;
  /** Ends the call: record, metrics, media. Once. */
  finish(call: Call, reason: EndReason): void;
  log: Log;
}
