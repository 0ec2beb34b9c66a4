import { describe, expect, it } from "vitest";
import { cookie, issuerProblem, loginFromClaim, readCookie, returnPath, withMarker } from "./sso";

describe("SSO rules (issue 18.1)", () => {
  it("issuers must be https; http only where the deployment allows it (tests, development)", () => {
    expect(issuerProblem("https://login.empresa.com", false)).toBeNull();
    expect(issuerProblem("http://127.0.0.1:4000", false)).toMatch(/https/);
    expect(issuerProblem("http://127.0.0.1:4000", true)).toBeNull();
    expect(issuerProblem("https://login.empresa.com/?x=1", false)).toMatch(/consulta/);
    expect(issuerProblem("ftp://x", true)).toMatch(/https/);
    expect(issuerProblem("não é url", false)).toMatch(/endereço/);
  });

  it("a sign-in returns only to a local path; anything else opens the company's start page", () => {
    expect(returnPath("acme", "/c/dm.ana.bruno")).toBe("/c/dm.ana.bruno");
    for (const bad of ["//evil.example/", "https://evil.example/", "/\\evil", "javascript:alert(1)", null, "/a b"])
      expect(returnPath("acme", bad)).toBe("/?empresa=acme");
    expect(withMarker("/?empresa=acme", "sso", "1")).toBe("/?empresa=acme&sso=1");
    expect(withMarker("/c/x", "sso", "1")).toBe("/c/x?sso=1");
  });

  it("cookies are HttpOnly and SameSite=Lax, Secure on https, and read back by name", () => {
    const c = cookie("conversas_sso", "v.1", { path: "/api/session/sso", maxAge: 120, secure: true });
    expect(c).toBe("conversas_sso=v.1; Path=/api/session/sso; Max-Age=120; HttpOnly; SameSite=Lax; Secure");
    expect(readCookie("a=1; conversas_sso=v.1=x; b=2", "conversas_sso")).toBe("v.1=x");
    expect(readCookie(null, "a")).toBeNull();
  });

  it("only a non-empty text claim is a login", () => {
    expect(loginFromClaim(" ana ")).toBe("ana");
    for (const bad of ["", "  ", 42, null, undefined, ["ana"], "x".repeat(201)]) expect(loginFromClaim(bad)).toBeNull();
  });
});
