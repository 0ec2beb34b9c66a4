import { describe, expect, it } from "vitest";
import type { SsoView } from "../../../protocol/admin";
import { checkRetention, checkSso, retentionForm, retentionShortens, ssoForm } from "./admin-settings";

describe("issue 18.6: the retention setting", () => {
  it("issue 18.6: forever is null; days are whole numbers from 1 to 36,500", () => {
    expect(checkRetention({ keepForever: true, days: "abc" })).toEqual({ ok: true, retentionDays: null });
    expect(checkRetention({ keepForever: false, days: " 365 " })).toEqual({ ok: true, retentionDays: 365 });
    for (const bad of ["", "0", "-1", "1.5", "36501", "dez"])
      expect([bad, checkRetention({ keepForever: false, days: bad }).ok]).toEqual([bad, false]);
    expect(checkRetention({ keepForever: false, days: "36500" })).toEqual({ ok: true, retentionDays: 36500 });
    expect(retentionForm(null)).toEqual({ keepForever: true, days: "" });
    expect(retentionForm(30)).toEqual({ keepForever: false, days: "30" });
  });

  it("issue 18.6: asking first only when the new setting deletes what the current one keeps", () => {
    expect(retentionShortens(null, 365)).toBe(true);
    expect(retentionShortens(365, 30)).toBe(true);
    expect(retentionShortens(30, 365)).toBe(false);
    expect(retentionShortens(30, null)).toBe(false);
    expect(retentionShortens(null, null)).toBe(false);
  });
});

const stored: SsoView = {
  enabled: true,
  issuer: "https://login.example.com/tenant/v2.0",
  clientId: "conversas",
  loginClaim: "preferred_username",
  passwordSignIn: true,
  hasSecret: true,
  redirectUri: "https://c.example/api/tenants/acme/sso/callback",
  updatedAt: 1,
};

describe("issue 18.1: the SSO form", () => {
  it("issue 18.1: the first set-up needs the secret; the body is the server's", () => {
    const form = { ...ssoForm(null), enabled: true, issuer: "https://login.example.com/tenant/v2.0/", clientId: " conversas " };
    expect(checkSso(form, null)).toEqual({ ok: false, errors: ["clientSecret"] });
    expect(checkSso({ ...form, clientSecret: "s3cr3t" }, null)).toEqual({
      ok: true,
      body: {
        enabled: true,
        issuer: "https://login.example.com/tenant/v2.0",
        clientId: "conversas",
        clientSecret: "s3cr3t",
        loginClaim: "preferred_username",
        passwordSignIn: true,
      },
    });
  });

  it("issue 18.1: the stored secret stays (write-only) while the issuer and client id stay", () => {
    const same = checkSso({ ...ssoForm(stored), passwordSignIn: false }, stored);
    expect(same.ok && "clientSecret" in same.body).toBe(false);
    expect(checkSso({ ...ssoForm(stored), clientId: "outro" }, stored)).toEqual({ ok: false, errors: ["clientSecret"] });
    expect(checkSso({ ...ssoForm(stored), issuer: "https://outro.example.com" }, stored)).toMatchObject({ ok: false });
  });

  it("issue 18.1: a wrong issuer, client id or claim is named", () => {
    const bad = checkSso({ ...ssoForm(stored), issuer: "login.example.com", clientId: "", loginClaim: "a b" }, stored);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual(["issuer", "clientId", "clientSecret", "loginClaim"]);
    for (const issuer of ["ftp://x.example", "https://x.example/?a=1", "https://u:p@x.example"])
      expect(checkSso({ ...ssoForm(stored), issuer, clientSecret: "s" }, stored)).toEqual({ ok: false, errors: ["issuer"] });
  });
});
