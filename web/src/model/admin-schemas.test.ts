/**
 * The screen's written-out rules (model/admin-users.ts, admin-settings.ts,
 * audit-filter.ts) against the server's own schemas (protocol/http.ts,
 * protocol/admin.ts): for every case, the form and the server agree on whether
 * it passes, so a form the screen sends is never refused for its shape, and
 * what the screen refuses the server would too.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  AuditAction,
  AuditFilter,
  MAX_RETENTION_DAYS as SERVER_MAX_RETENTION,
  SettingsBody,
  SsoBody,
  PasswordBody,
} from "../../../protocol/admin";
import { CallClass, UserUpsertBody } from "../../../protocol/http";
import { checkNewPassword, checkNewUser, CALL_CLASSES, emptyUserForm, type UserForm } from "./admin-users";
import { checkRetention, checkSso, MAX_RETENTION_DAYS, ssoForm, type SsoForm } from "./admin-settings";
import { AUDIT_ACTIONS, auditQuery, emptyAuditForm, type AuditForm } from "./audit-filter";

const user = (over: Partial<UserForm>): UserForm => ({
  ...emptyUserForm(),
  id: "lia",
  login: "lia",
  name: "Lia",
  email: "lia@empresa.com",
  department: "RH",
  ...over,
});

describe("issue 18.3: the screen's rules are the server's", () => {
  it("issue 18.3: the lists of classes of service and audit actions are the protocol's", () => {
    expect(CALL_CLASSES).toEqual(CallClass.options);
    expect(AUDIT_ACTIONS).toEqual(AuditAction.options);
    expect(MAX_RETENTION_DAYS).toBe(SERVER_MAX_RETENTION);
  });

  it("issue 18.3: a user body passes the form exactly when it passes UserUpsertBody", () => {
    const cases: Partial<UserForm>[] = [
      {},
      ...["", "a", "a@b.c-d_e", "á", "l".repeat(100), "l".repeat(101), " lia "].map((login) => ({ login })),
      ...["", "   ", "n".repeat(120), "n".repeat(121)].map((name) => ({ name })),
      ...["sem-arroba", "a@b", "a.b+c@d-e.com.br", `${"e".repeat(190)}@empresa.com`, " lia@empresa.com "].map((email) => ({ email })),
      ...["", "d".repeat(120), "d".repeat(121)].map((department) => ({ department })),
      ...["", "1", "12", "12345678", "123456789", "12a"].map((extension) => ({ extension })),
      ...["1234567", "12345678", "p".repeat(200), "p".repeat(201)].map((password) => ({ password })),
      { atendimento: true, callClass: "international" },
    ];
    for (const c of cases) {
      const f = user(c);
      const server = v.safeParse(UserUpsertBody, {
        login: f.login,
        name: f.name,
        email: f.email,
        department: f.department,
        extension: f.extension.trim() === "" ? null : f.extension,
        callClass: f.callClass,
        modules: f.atendimento ? ["conversas", "atendimento"] : ["conversas"],
        enabled: f.enabled,
        admin: f.admin,
        ...(f.password ? { password: f.password } : {}),
      });
      const mine = checkNewUser(f, true);
      expect([c, mine.ok]).toEqual([c, server.success]);
      if (mine.ok && server.success) expect(mine.value.body).toEqual(server.output);
    }
  });

  it("issue 18.3: a new password passes exactly when PasswordBody takes it", () => {
    for (const p of ["", "1234567", "12345678", "p".repeat(200), "p".repeat(201)])
      expect([p.length, checkNewPassword(p, p).ok]).toEqual([p.length, v.safeParse(PasswordBody, { password: p }).success]);
  });
});

describe("issue 18.6 and 18.1: settings", () => {
  it("issue 18.6: a retention passes exactly when SettingsBody takes it", () => {
    for (const days of ["1", "30", "36500", "36501", "0", "-5", "2.5", "1e3", "abc", ""]) {
      const mine = checkRetention({ keepForever: false, days });
      const server = v.safeParse(SettingsBody, { retentionDays: Number(days === "" ? NaN : days) }).success && /^\d+$/.test(days);
      expect([days, mine.ok]).toEqual([days, server]);
    }
    expect(checkRetention({ keepForever: true, days: "" }).ok).toBe(v.safeParse(SettingsBody, { retentionDays: null }).success);
  });

  it("issue 18.1: an SSO form passes exactly when SsoBody takes it (the secret's keeping aside)", () => {
    const cases: Partial<SsoForm>[] = [
      {},
      ...[
        "nada",
        "https://login.example.com/x/v2.0",
        `https://login.example.com/${"p".repeat(480)}`,
        `https://login.example.com/${"p".repeat(490)}`,
      ].map((issuer) => ({ issuer })),
      ...["", "c".repeat(300), "c".repeat(301)].map((clientId) => ({ clientId })),
      ...["s".repeat(1000), "s".repeat(1001)].map((clientSecret) => ({ clientSecret })),
      ...["email", "a b", "urn:x.y-z_1", "c".repeat(65)].map((loginClaim) => ({ loginClaim })),
    ];
    for (const c of cases) {
      const f: SsoForm = {
        ...ssoForm(null),
        enabled: true,
        issuer: "https://login.example.com",
        clientId: "conversas",
        clientSecret: "s3cr3t",
        ...c,
      };
      const server = v.safeParse(SsoBody, { ...f, issuer: f.issuer, clientSecret: f.clientSecret || undefined });
      const mine = checkSso(f, null);
      expect([c, mine.ok]).toEqual([c, server.success]);
    }
  });
});

describe("issue 18.4: audit filters", () => {
  it("issue 18.4: a filter passes exactly when AuditFilter takes it", () => {
    const forms: Partial<Record<keyof AuditForm, string>>[] = [
      ...["action:login.failure", "action:nada", "prefix:login.", "prefix:Login.", "prefix:muito_longo_para_prefixo."].map((what) => ({
        what,
      })),
      ...["a".repeat(200), "a".repeat(201)].map((actor) => ({ actor })),
      ...["t".repeat(300), "t".repeat(301)].map((target) => ({ target })),
      { ok: "false" },
      { since: "2026-01-01", until: "2026-01-31" },
    ];
    for (const over of forms) {
      const form = { ...emptyAuditForm(), ...over } as AuditForm;
      const q = auditQuery(form);
      const params = q.ok ? Object.fromEntries(new URLSearchParams(q.query)) : null;
      const filter = {
        ...(form.what.startsWith("action:") ? { action: form.what.slice(7) } : {}),
        ...(form.what.startsWith("prefix:") ? { prefix: form.what.slice(7) } : {}),
        ...(form.actor ? { actor: form.actor } : {}),
        ...(form.target ? { target: form.target } : {}),
        ...(form.ok ? { ok: form.ok === "true" } : {}),
        ...(params?.since ? { since: Number(params.since) } : {}),
        ...(params?.until ? { until: Number(params.until) } : {}),
      };
      expect([over, q.ok]).toEqual([over, v.safeParse(AuditFilter, filter).success]);
    }
  });
});
