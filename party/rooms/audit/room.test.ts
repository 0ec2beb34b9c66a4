/** The audit trail's room through the in-memory host (issue 18.4): append-only, newest first, paged, filtered, every value bound. */
import { describe, expect, it } from "vitest";
import type { AuditInput } from "../../../protocol/admin";
import { MemoryWorld } from "../../../test/support/memory-host";
import { auditRoom, auditWhere } from "./room";

const event = (over: Partial<AuditInput>): AuditInput => ({
  action: "login.failure",
  actorKind: "anonymous",
  actor: "ana",
  target: "ana",
  address: "10.0.0.1",
  ok: false,
  ...over,
});

describe("audit trail (issue 18.4)", () => {
  it("18.4: pages newest first and filters by action, prefix, actor, target, outcome and time", async () => {
    const world = new MemoryWorld({ audit: auditRoom });
    const room = world.room("audit", "acme");
    for (let i = 0; i < 5; i++) {
      await room.rpc("audit.record", { events: [event({ actor: `u${i}` })] });
      world.now += 1000;
    }
    await room.rpc("audit.record", {
      events: [event({ action: "user.update", actorKind: "key", actor: "k1", target: "bruno", ok: true })],
    });
    const page = async (filter: object, before?: number, limit = 10) => {
      const res = await room.rpc("audit.page", { filter, limit, ...(before ? { before } : {}) });
      if (!res.ok) throw new Error(res.message);
      return res.value;
    };
    const first = await page({}, undefined, 4);
    expect(first.events.map((e) => e.actor)).toEqual(["k1", "u4", "u3", "u2"]);
    expect((await page({}, first.next!, 4)).events.map((e) => e.actor)).toEqual(["u1", "u0"]);
    expect((await page({ prefix: "user." })).events.map((e) => e.target)).toEqual(["bruno"]);
    expect((await page({ action: "login.failure", actor: "u2" })).events).toHaveLength(1);
    expect((await page({ ok: true })).events.map((e) => e.action)).toEqual(["user.update"]);
    const t0 = 1_800_000_000_000;
    expect((await page({ since: t0 + 1000, until: t0 + 3000 })).events.map((e) => e.actor)).toEqual(["u2", "u1"]);
  });

  it("18.4: a filter's values are bound, never part of the statement", () => {
    const { sql, values } = auditWhere({ actor: "x' OR 1=1 --", prefix: "login." }, 5);
    expect(sql).not.toContain("OR 1=1");
    expect(values).toEqual([5, 6, "login.", "x' OR 1=1 --"]);
  });
});
