import { describe, expect, it } from "vitest";
import { auditQuery, emptyAuditForm, endOfDay, startOfDay, type AuditForm } from "./audit-filter";

const form = (over: Partial<AuditForm> = {}): AuditForm => ({ ...emptyAuditForm(), ...over });
const params = (q: string) => Object.fromEntries(new URLSearchParams(q));

describe("issue 18.4: the audit trail's filters", () => {
  it("issue 18.4: no filter asks for the newest page; the cursor asks for the next", () => {
    expect(auditQuery(form())).toEqual({ ok: true, query: "limit=50" });
    expect(auditQuery(form(), 1234, 20)).toEqual({ ok: true, query: "limit=20&before=1234" });
  });

  it("issue 18.4: one action, a family of actions, who, to whom and the outcome", () => {
    expect(params((auditQuery(form({ what: "action:login.failure", ok: "false" })) as { query: string }).query)).toEqual({
      limit: "50",
      action: "login.failure",
      ok: "false",
    });
    expect(
      params((auditQuery(form({ what: "prefix:user.", actor: " ana ", target: "lia", ok: "true" })) as { query: string }).query),
    ).toEqual({
      limit: "50",
      prefix: "user.",
      actor: "ana",
      target: "lia",
      ok: "true",
    });
  });

  it("issue 18.4: days are whole days in the browser's zone, from the first midnight to the last millisecond", () => {
    const q = auditQuery(form({ since: "2026-03-01", until: "2026-03-02" }));
    expect(q.ok).toBe(true);
    const p = params((q as { query: string }).query);
    expect(Number(p.since)).toBe(new Date(2026, 2, 1).getTime());
    expect(Number(p.until)).toBe(new Date(2026, 2, 3).getTime() - 1);
    expect(startOfDay("2026-02-30")).toBe(null);
    expect(startOfDay("ontem")).toBe(null);
    expect(endOfDay("2026-12-31")).toBe(new Date(2027, 0, 1).getTime() - 1);
  });

  it("issue 18.4: a bad filter names its field and asks nothing", () => {
    expect(auditQuery(form({ since: "2026-03-05", until: "2026-03-01" }))).toEqual({ ok: false, field: "until", problem: "order" });
    expect(auditQuery(form({ since: "05/03/2026" }))).toEqual({ ok: false, field: "since", problem: "date" });
    expect(auditQuery(form({ actor: "x".repeat(201) }))).toEqual({ ok: false, field: "actor", problem: "length" });
    expect(auditQuery(form({ target: "x".repeat(301) }))).toEqual({ ok: false, field: "target", problem: "length" });
    expect(auditQuery(form({ what: "action:nada" as never }))).toEqual({ ok: false, field: "what", problem: "choice" });
    expect(auditQuery(form({ what: "prefix:Login" as never }))).toEqual({ ok: false, field: "what", problem: "choice" });
  });
});
