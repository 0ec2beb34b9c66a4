/**
 * `routeInvite` with INVITEs recorded from sip.js and sipp (R2, R29): where a new
 * call goes in registrar and PBX mode, and every refusal, with no socket at all.
 */
import { describe, expect, it } from "vitest";
import { routeInvite, type Callee, type InviteFacts } from "./route-invite";
import { invite, SIPJS_INVITE, SIPP_INVITE } from "./fixtures";
import { DEFAULT_EXTENSION_PATTERN } from "./dial-plan";

const ana = { tenant: "demo", userId: "ana", extension: "2001", callClass: "national" as const };
const bruno = { tenant: "demo", userId: "bruno", extension: "2002" };
const pbxPeer = { kind: "net" as const, transport: "udp" as const, host: "10.0.0.5", port: 5060 };
const brunoAt: Callee = { connId: "c2", contact: "sip:k9@x.invalid;transport=ws", user: bruno };

function facts(over: Partial<InviteFacts>): InviteFacts {
  return {
    from: { kind: "ws", connId: "c1" },
    req: invite(SIPJS_INVITE, "2002"),
    caller: ana,
    pbx: null,
    rules: {
      maxConcurrentCalls: 2,
      maxAttemptsPerMinute: 20,
      dialPattern: /^[0-9+*#]{2,20}$/,
      dialPlan: { extension: DEFAULT_EXTENSION_PATTERN, areaCode: null },
    },
    recentAttempts: 0,
    activeCalls: () => 0,
    locate: (tenant, ext) => (tenant === "demo" && ext === "2002" ? brunoAt : null),
    alias: () => null,
    ...over,
  };
}

const withPbx = { pbx: { peer: pbxPeer, host: "pbx.local", port: 5060, tenant: "demo" } };

describe("routeInvite", () => {
  it("R29: registrar mode: a browser's INVITE goes to the callee's registered socket and Contact", () => {
    const r = routeInvite(facts({}));
    expect(r).toMatchObject({
      kind: "route",
      tenant: "demo",
      uri: "sip:k9@x.invalid;transport=ws",
      a: { peer: { kind: "ws", connId: "c1" }, user: ana, number: "2001", contact: "sip:j9s4slhn@2gdamqf78ia8.invalid;transport=ws;ob" },
      b: { peer: { kind: "ws", connId: "c2" }, user: bruno, number: "2002", contact: null },
    });
  });

  it("R29: registrar mode: nobody registered is 480, a callee in as many calls as allowed 486; both are recorded attempts", () => {
    expect(routeInvite(facts({ req: invite(SIPJS_INVITE, "2005") }))).toEqual({
      kind: "refuse",
      refusal: { status: 480, reason: "Temporarily Unavailable" },
      attempt: { caller: ana, dialled: "2005", callee: null },
    });
    const busy = routeInvite(facts({ activeCalls: (_t, u) => (u === "bruno" ? 2 : 0) }));
    expect(busy).toMatchObject({ kind: "refuse", refusal: { status: 486 }, attempt: { callee: bruno } });
  });

  it("R29: PBX mode: a browser's INVITE goes to the PBX with the dialled number at the PBX's address", () => {
    const r = routeInvite(facts({ ...withPbx, req: invite(SIPJS_INVITE, "3000") }));
    expect(r).toMatchObject({ kind: "route", uri: "sip:3000@pbx.local:5060", b: { peer: pbxPeer, user: null, number: "3000" } });
  });

  it("R2, R29: the INVITE must come from the socket's own extension, in the PBX's tenant, within the limits", () => {
    const refused = (over: Partial<InviteFacts>) => {
      const r = routeInvite(facts(over));
      return r.kind === "refuse" ? `${r.refusal.status} ${r.refusal.reason}${r.attempt ? " +record" : ""}` : "routed";
    };
    expect(refused({ req: invite(SIPJS_INVITE, "2002", "2009") })).toBe("403 Forbidden (not your extension)");
    expect(refused({ caller: { ...ana, extension: null } })).toBe("403 Forbidden (user has no extension)");
    expect(refused({ ...withPbx, caller: { ...ana, tenant: "other" }, req: invite(SIPJS_INVITE, "3000") })).toBe(
      "403 Forbidden (tenant not on this PBX)",
    );
    expect(refused({ req: invite(SIPJS_INVITE, "20x2") })).toBe("484 Address Incomplete (not a phone number)");
    expect(refused({ activeCalls: (_t, u) => (u === "ana" ? 2 : 0) })).toBe("486 Busy Here (too many calls)");
    expect(refused({ recentAttempts: 20 })).toBe("403 Forbidden (too many call attempts)");
  });

  it("issue 16.1: towards the PBX the caller's class of service decides; with no PBX (no trunk) only registrations do", () => {
    const to = (n: string, callClass: "internal" | "national" | "international" | undefined = "national") =>
      routeInvite(facts({ ...withPbx, caller: { ...ana, callClass }, req: invite(SIPJS_INVITE, n) }));
    expect(to("09001234567")).toMatchObject({ kind: "refuse", refusal: { status: 403, needs: "international" }, attempt: null });
    expect(to("09001234567", "international")).toMatchObject({ kind: "route", uri: "sip:09001234567@pbx.local:5060" });
    expect(to("2133334444")).toMatchObject({ kind: "route" });
    expect(to("32104567", "internal")).toMatchObject({ kind: "refuse", refusal: { status: 403 } });
    // A user the platform sent no class for is internal.
    expect(
      routeInvite(
        facts({ ...withPbx, caller: { tenant: "demo", userId: "ana", extension: "2001" }, req: invite(SIPJS_INVITE, "32104567") }),
      ),
    ).toMatchObject({ kind: "refuse", refusal: { status: 403, needs: "local" } });
    expect(routeInvite(facts({ req: invite(SIPJS_INVITE, "09001234567") }))).toMatchObject({ refusal: { status: 480 } });
  });

  it("R29: from the PBX, an INVITE reaches the registered browser by extension or by the alias it registered with", () => {
    const fromPbx = { ...withPbx, from: pbxPeer, caller: null, req: invite(SIPP_INVITE, "2002") };
    expect(routeInvite(facts(fromPbx))).toMatchObject({
      kind: "route",
      uri: "sip:k9@x.invalid;transport=ws",
      a: { peer: pbxPeer, user: null, number: "sipp", contact: "sip:sipp@127.0.0.1:5061" },
      b: { user: bruno, number: "2002" },
    });
    const byAlias = routeInvite(facts({ ...fromPbx, req: invite(SIPP_INVITE, "wsabc"), alias: (u) => (u === "wsabc" ? brunoAt : null) }));
    expect(byAlias).toMatchObject({ kind: "route", b: { user: bruno, number: "2002" } });
    expect(routeInvite(facts({ ...fromPbx, req: invite(SIPP_INVITE, "2077") }))).toMatchObject({ refusal: { status: 480 }, attempt: null });
  });

  it("R29: from the PBX, a callee in as many calls as allowed gets 486 and a missed-call record", () => {
    const r = routeInvite(facts({ ...withPbx, from: pbxPeer, caller: null, req: invite(SIPP_INVITE, "2002"), activeCalls: () => 2 }));
    expect(r).toMatchObject({
      kind: "refuse",
      refusal: { status: 486 },
      attempt: { caller: { tenant: "demo", userId: "", extension: "sipp" }, dialled: "2002", callee: bruno },
    });
  });
});
