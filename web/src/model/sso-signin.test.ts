import { describe, expect, it } from "vitest";
import { backFromSso, ssoStartUrl, tenantOf } from "./sso-signin";
import { ssoMarker, ssoReason, withoutMarkers } from "./sso-return";

describe("issue 18.1: the sign-in page and the company's identity provider", () => {
  it("issue 18.1: the callback's markers: a sign-in to trade, or a refusal with its reason", () => {
    expect(ssoMarker("?empresa=acme&sso=1")).toEqual({ kind: "done" });
    expect(ssoMarker("?empresa=acme&sso_erro=user")).toEqual({ kind: "refused", reason: "user" });
    expect(ssoMarker("?empresa=acme")).toEqual({ kind: "none" });
    expect(ssoMarker("?sso=0")).toEqual({ kind: "none" });
    for (const search of ["?empresa=acme&sso=1", "?sso=1", "?sso=1&empresa=acme"])
      expect([search, backFromSso(search)]).toEqual([search, "done"]);
    for (const search of ["?sso_erro=state", "?empresa=a&sso_erro=x&b=1"])
      expect([search, backFromSso(search)]).toEqual([search, "refused"]);
    for (const search of ["", "?empresa=acme", "?sso=0", "?sso=10", "?nosso=1", "?x=sso=1"])
      expect([search, backFromSso(search)]).toEqual([search, null]);
  });

  it("issue 18.1: the address loses the markers and keeps the rest", () => {
    expect(withoutMarkers("/", "?empresa=acme&sso=1")).toBe("/?empresa=acme");
    expect(withoutMarkers("/c/dm.ana.bruno", "?sso=1")).toBe("/c/dm.ana.bruno");
    expect(withoutMarkers("/", "?sso_erro=state&empresa=acme")).toBe("/?empresa=acme");
  });

  it("issue 18.1: the server's reasons are known; anything else in the address is 'other'", () => {
    for (const reason of ["state", "token", "user", "claim", "config"]) expect(ssoReason(reason)).toBe(reason);
    expect(ssoReason("toString")).toBe("other");
    expect(ssoMarker("?sso_erro=%3Cscript%3E")).toEqual({ kind: "refused", reason: "other" });
  });

  it("issue 18.1: the button starts at the server's address, coming back to a chat link opened while signed out", () => {
    expect(ssoStartUrl("/api/tenants/acme/sso/start", "/")).toBe("/api/tenants/acme/sso/start");
    expect(ssoStartUrl("/api/tenants/acme/sso/start", "/c/dm.ana.bruno")).toBe("/api/tenants/acme/sso/start?to=%2Fc%2Fdm.ana.bruno");
    expect(ssoStartUrl("/api/tenants/acme/sso/start", "//evil.example/c/x")).toBe("/api/tenants/acme/sso/start");
    expect(tenantOf(" ACME ")).toBe("acme");
    expect(tenantOf("a b")).toBe(null);
  });
});
