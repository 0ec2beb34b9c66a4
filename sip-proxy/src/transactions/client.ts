/**
 * The proxy's client transaction (RFC 3261 §17.1, with RFC 6026's "accepted"
 * state): one per request the proxy sends. It owns retransmission over UDP (the
 * browser side is reliable and never retransmits, so the proxy must), the ACK for
 * a non-2xx final answer to an INVITE (hop-by-hop, never forwarded), and the 408
 * the caller gets when nobody answers. Knows nothing of routing: it is told how
 * to send and reports responses up.
 */
import { ackFor, serialise, type SipRequest, type SipResponse } from "../sip/message";
import { Transaction } from "./transaction";

export const T1 = 500;
export const T2 = 4000;
export const T4 = 5000;

export type ClientState = "calling" | "trying" | "proceeding" | "completed" | "accepted" | "terminated";

export type ClientEvents = {
  send(text: string): void;
  /** Every response the transaction user must see (first finals and, for INVITE, 2xx retransmissions). */
  onResponse(res: SipResponse): void;
  /** Timer B / F fired without a final response. */
  onTimeout(): void;
  onTerminated(): void;
};

export class ClientTransaction extends Transaction<ClientState> {
  state: ClientState;
  private lastAck: string | null = null;

  constructor(
    request: SipRequest,
    reliable: boolean,
    private readonly events: ClientEvents,
  ) {
    super(request, reliable, events);
    this.state = this.invite ? "calling" : "trying";
  }

  start(): void {
    const text = serialise(this.request);
    this.events.send(text);
    if (!this.reliable) this.retransmit(text, T1);
    this.after(64 * T1, () => {
      if (this.state === "calling" || this.state === "trying" || (!this.invite && this.state === "proceeding")) {
        this.terminate();
        this.events.onTimeout();
      }
    });
  }

  private retransmit(text: string, interval: number): void {
    this.after(interval, () => {
      if (this.state !== "calling" && this.state !== "trying" && !(this.state === "proceeding" && !this.invite)) return;
      this.events.send(text);
      this.retransmit(text, this.invite ? interval * 2 : Math.min(interval * 2, T2));
    });
  }

  receive(res: SipResponse): void {
    const s = res.status;
    switch (this.state) {
      case "calling":
      case "trying":
      case "proceeding":
        if (s < 200) {
          this.state = "proceeding";
          this.events.onResponse(res);
          return;
        }
        if (this.invite && s < 300) {
          this.state = "accepted";
          this.clearTimers();
          this.events.onResponse(res);
          this.after(64 * T1, () => this.terminate());
          return;
        }
        this.state = "completed";
        this.clearTimers();
        if (this.invite) {
          this.lastAck = serialise(ackFor(this.request, res));
          this.events.send(this.lastAck);
        }
        this.events.onResponse(res);
        if (this.reliable) this.terminate();
        else this.after(this.invite ? 32_000 : T4, () => this.terminate());
        return;
      case "completed":
        if (this.invite && s >= 300 && this.lastAck) this.events.send(this.lastAck);
        return;
      case "accepted":
        if (s >= 200 && s < 300) this.events.onResponse(res);
        return;
      case "terminated":
        return;
    }
  }
}
