/**
 * The proxy's server transaction (RFC 3261 §17.2, with RFC 6026's "accepted"
 * state): one per request the proxy receives and answers or forwards. It remembers
 * the last response so a retransmitted request over UDP is answered again instead
 * of being forwarded twice, retransmits a non-2xx final answer to an INVITE until
 * the ACK comes (Timer G), and absorbs that ACK — it belongs to this hop only.
 */
import { serialise, type SipRequest, type SipResponse } from "../sip/message";
import { T1, T2, T4 } from "./client";
import { Transaction } from "./transaction";

export type ServerState = "trying" | "proceeding" | "completed" | "confirmed" | "accepted" | "terminated";

export type ServerEvents = { send(text: string): void; onTerminated(): void };

export class ServerTransaction extends Transaction<ServerState> {
  state: ServerState;
  finalStatus: number | null = null;
  private last: string | null = null;

  constructor(
    request: SipRequest,
    reliable: boolean,
    private readonly events: ServerEvents,
  ) {
    super(request, reliable, events);
    this.state = this.invite ? "proceeding" : "trying";
  }

  /** Sends a response unless the transaction already gave a final one (a late 2xx on an INVITE still goes up: RFC 6026). */
  respond(res: SipResponse): boolean {
    const s = res.status;
    if (this.state === "terminated" || this.state === "completed" || this.state === "confirmed") return false;
    if (this.state === "accepted" && !(s >= 200 && s < 300)) return false;
    const text = serialise(res);
    this.events.send(text);
    this.last = text;
    if (s < 200) {
      this.state = "proceeding";
      return true;
    }
    if (this.state !== "accepted") this.finalStatus = s;
    if (this.invite && s < 300) {
      if (this.state !== "accepted") this.after(64 * T1, () => this.terminate());
      this.state = "accepted";
      return true;
    }
    this.state = "completed";
    if (this.invite) {
      if (!this.reliable) this.retransmit(text, T1);
      this.after(64 * T1, () => this.terminate());
    } else if (this.reliable) {
      this.terminate();
    } else {
      this.after(64 * T1, () => this.terminate());
    }
    return true;
  }

  /** The same request again (UDP retransmission): repeat what we last said. */
  receiveRetransmission(): void {
    if (this.last && this.state !== "terminated" && this.state !== "confirmed") this.events.send(this.last);
  }

  /** The ACK for our non-2xx final answer: ends retransmissions. Returns whether it was ours to absorb. */
  receiveAck(): boolean {
    if (this.state !== "completed" && this.state !== "confirmed") return false;
    if (this.state === "completed") {
      this.state = "confirmed";
      this.clearTimers();
      this.after(this.reliable ? 0 : T4, () => this.terminate());
    }
    return true;
  }

  private retransmit(text: string, interval: number): void {
    this.after(interval, () => {
      if (this.state !== "completed") return;
      this.events.send(text);
      this.retransmit(text, Math.min(interval * 2, T2));
    });
  }
}
