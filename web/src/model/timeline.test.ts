import { describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/frames";
import type { OutboxEntry } from "./outbox";
import { buildTimeline } from "./timeline";

const at = (d: number, h: number, min = 0) => new Date(2025, 2, d, h, min).getTime();
const now = at(10, 18);
const msg = (seq: number, senderId: string, createdAt: number, clientId = `c${seq}xxxxxx`): Message => ({
  id: `dm.ana.bruno:${seq}`,
  seq,
  chatId: "dm.ana.bruno",
  clientId,
  senderId,
  text: `m${seq}`,
  createdAt,
});
const pending = (clientId: string, createdAt: number, status: OutboxEntry["status"] = "pending"): OutboxEntry => ({
  chatId: "dm.ana.bruno",
  clientId,
  text: `p ${clientId}`,
  createdAt,
  status,
});

describe("chat timeline", () => {
  it('R8: separates days with "Ontem", "Hoje" or the date, in chronological order', () => {
    const items = buildTimeline([msg(1, "bruno", at(7, 9)), msg(2, "ana", at(9, 22, 5)), msg(3, "bruno", at(10, 8, 30))], [], "ana", now);
    expect(items.map((i) => (i.kind === "day" ? i.label : i.text))).toEqual(["07/03/2025", "m1", "Ontem", "m2", "Hoje", "m3"]);
    expect(items[3]).toMatchObject({ kind: "message", mine: true, time: "22:05", status: "sent" });
    expect(items[5]).toMatchObject({ mine: false, time: "08:30" });
  });

  it("R9: unsent messages come after the delivered ones, marked pending or failed", () => {
    const items = buildTimeline(
      [msg(1, "bruno", at(10, 8))],
      [pending("aaaaaaaa", at(10, 9)), pending("bbbbbbbb", at(10, 9), "failed")],
      "ana",
      now,
    );
    expect(items.filter((i) => i.kind === "message").map((i) => i.kind === "message" && [i.text, i.status])).toEqual([
      ["m1", "sent"],
      ["p aaaaaaaa", "pending"],
      ["p bbbbbbbb", "failed"],
    ]);
  });

  it("an acknowledged message still in another tab's outbox shows once, under the same key", () => {
    const before = buildTimeline([], [pending("aaaaaaaa", at(10, 9))], "ana", now);
    const after = buildTimeline([msg(1, "ana", at(10, 9), "aaaaaaaa")], [pending("aaaaaaaa", at(10, 9))], "ana", now);
    const keys = (items: typeof before) => items.filter((i) => i.kind === "message").map((i) => i.key);
    expect(keys(after)).toEqual(keys(before));
    expect(after.filter((i) => i.kind === "message")).toHaveLength(1);
  });

  it("the same clientId from another sender is a different message", () => {
    const items = buildTimeline([msg(1, "bruno", at(10, 9), "aaaaaaaa")], [pending("aaaaaaaa", at(10, 9))], "ana", now);
    expect(items.filter((i) => i.kind === "message")).toHaveLength(2);
  });
});
