/**
 * What client and server transactions share (RFC 3261 §17): the request they are
 * for, a state that ends in "terminated", and the timers that die with it. Each
 * kind adds its own states, retransmissions and events.
 */
import type { SipRequest } from "../sip/message";

export abstract class Transaction<State extends string> {
  abstract state: State | "terminated";
  readonly invite: boolean;
  private timers: ReturnType<typeof setTimeout>[] = [];

  protected constructor(
    readonly request: SipRequest,
    protected readonly reliable: boolean,
    private readonly ended: { onTerminated(): void },
  ) {
    this.invite = request.method === "INVITE";
  }

  /** Ends the transaction now (the proxy is shutting a call down, or a timer said so). */
  terminate(): void {
    if (this.state === "terminated") return;
    this.state = "terminated";
    this.clearTimers();
    this.ended.onTerminated();
  }

  protected after(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms));
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
