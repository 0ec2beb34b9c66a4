/**
 * The registrations the PBX holds through the proxy on the browsers' behalf
 * (issue 16.4): the REGISTER it last accepted for each browser socket, so the
 * proxy can withdraw it (Expires: 0) when the socket goes, on shutdown, or — from
 * the state file — after a crash. Every change is reported so it can be saved.
 */
import * as sip from "../sip/message";
import type { SipRequest } from "../sip/message";
import type { Caller } from "../session";
import type { Peer } from "./calls";
import type { ProxyCore } from "./core";
import { unregisterFor } from "./generated";

/** A registration the PBX accepted through the proxy, kept so the next start can withdraw it after a crash. */
export type SavedBinding = { caller: Caller; register: string };

export class PbxRegistrations {
  private readonly bindings = new Map<string, { request: SipRequest; caller: Caller }>();

  constructor(
    private readonly core: ProxyCore,
    private readonly pbx: Peer,
    private readonly onChanged?: (bindings: SavedBinding[]) => void,
  ) {}

  get size(): number {
    return this.bindings.size;
  }

  /** The PBX accepted `request` (as sent to it, credentials and all) for this socket; an un-REGISTER removes it. */
  accepted(connId: string, request: SipRequest, caller: Caller, unregister: boolean): void {
    if (unregister) this.bindings.delete(connId);
    else this.bindings.set(connId, { request, caller });
    this.changed();
  }

  /** The browser's socket closed: the PBX must stop sending calls to a binding nobody answers. Returns the withdrawn REGISTER's Call-ID. */
  socketClosed(connId: string): string | null {
    const b = this.bindings.get(connId);
    if (!b) return null;
    this.bindings.delete(connId);
    this.changed();
    void this.withdrawOne(b.request, b.caller);
    return sip.callId(b.request);
  }

  /** Withdraws every registration (shutdown); resolves when all are answered. */
  withdrawAll(): Promise<void> {
    const all = [...this.bindings.values()];
    this.bindings.clear();
    this.changed();
    return Promise.all(all.map((b) => this.withdrawOne(b.request, b.caller))).then(() => undefined);
  }

  /** The registrations a previous run left at the PBX; resolves with each withdrawal's final status. */
  withdrawSaved(saved: SavedBinding[]): Promise<number[]> {
    const out: Promise<number>[] = [];
    for (const b of saved) {
      const parsed = sip.parseSip(b.register);
      if (parsed.ok && parsed.message.kind === "request") out.push(this.withdrawOne(parsed.message, b.caller));
    }
    return Promise.all(out);
  }

  private withdrawOne(accepted: SipRequest, caller: Caller): Promise<number> {
    return this.core.send(unregisterFor(accepted, this.core.via(this.pbx)), this.pbx, caller);
  }

  private changed(): void {
    this.onChanged?.([...this.bindings.values()].map((b) => ({ caller: b.caller, register: sip.serialise(b.request) })));
  }
}
