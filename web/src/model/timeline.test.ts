import { describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/chat";
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
    expect(items.map((i) => (i.kind === "day" ? i.label : i.kind === "message" ? i.text : ""))).toEqual([
      "07/03/2025",
      "m1",
      "Ontem",
      "m2",
      "Hoje",
      "m3",
    ]);
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

describe("rich messages in the timeline", () => {
  it("R9, R10: stored messages carry their seq, attachment, quote, forwarded and deleted marks; pending ones have no seq yet", () => {
    const attachment = { fileId: "file12345", name: "a.png", size: 5, contentType: "image/png", kind: "image" as const };
    const stored: Message[] = [
      { ...msg(1, "bruno", at(10, 8)), attachment, forwarded: true },
      { ...msg(2, "ana", at(10, 9)), text: "", deleted: true },
      { ...msg(3, "ana", at(10, 9)), replyTo: { seq: 1, senderId: "bruno", snippet: "a.png", attachmentKind: "image" } },
    ];
    const items = buildTimeline(stored, [{ ...pending("pppppppp", at(10, 10)), attachment }], "ana", now).filter(
      (i) => i.kind === "message",
    );
    expect(items.map((i) => i.kind === "message" && i.seq)).toEqual([1, 2, 3, null]);
    expect(items[0]).toMatchObject({ attachment, forwarded: true, senderId: "bruno" });
    expect(items[1]).toMatchObject({ deleted: true, mine: true });
    expect(items[2]).toMatchObject({ replyTo: { seq: 1 } });
    expect(items[2]).not.toHaveProperty("quoteDeleted");
    expect(items[3]).toMatchObject({ attachment, status: "pending" });
  });
});

describe("quotes of deleted messages", () => {
  it("R10: a reply whose original was deleted no longer shows the original's text", () => {
    const stored: Message[] = [
      { ...msg(1, "bruno", at(10, 8)), text: "", deleted: true },
      { ...msg(2, "ana", at(10, 9)), replyTo: { seq: 1, senderId: "bruno", snippet: "segredo" } },
    ];
    const [, reply] = buildTimeline(stored, [], "ana", now).filter((i) => i.kind === "message");
    expect(reply).toMatchObject({ quoteDeleted: true });
  });
});

describe("group system lines in the timeline", () => {
  it("R19: a system message keeps its event so it can be shown as a centred line", () => {
    const created = {
      ...msg(1, "ana", Date.UTC(2026, 0, 5, 12)),
      text: "",
      system: { kind: "created" as const, actor: "ana", name: "Suporte" },
    };
    const items = buildTimeline([created, msg(2, "bruno", Date.UTC(2026, 0, 5, 12, 1))], [], "bruno", Date.UTC(2026, 0, 5, 13));
    const messages = items.filter((i) => i.kind === "message");
    expect(messages.map((m) => (m.kind === "message" ? m.system : null))).toEqual([
      { kind: "created", actor: "ana", name: "Suporte" },
      undefined,
    ]);
  });

  it("issue 17: 'Mensagens não lidas' sits above the first message from someone else after the read cursor, after its day line", () => {
    const messages = [
      msg(1, "bruno", at(9, 9)),
      msg(2, "ana", at(9, 10)),
      msg(3, "ana", at(10, 8)),
      msg(4, "bruno", at(10, 9)),
      msg(5, "bruno", at(10, 9, 5)),
    ];
    const show = (after: number | null) =>
      buildTimeline(messages, [], "ana", now, after).map((i) => (i.kind === "message" ? i.text : i.kind === "day" ? i.label : "LINE"));
    expect(show(2)).toEqual(["Ontem", "m1", "m2", "Hoje", "m3", "LINE", "m4", "m5"]);
    // The user's own message after the cursor is not unread; the line waits for someone else's.
    expect(show(1)).toEqual(["Ontem", "m1", "m2", "Hoje", "m3", "LINE", "m4", "m5"]);
    expect(show(0)).toEqual(["Ontem", "LINE", "m1", "m2", "Hoje", "m3", "m4", "m5"]);
    expect(show(null)).not.toContain("LINE");
    expect(show(5)).not.toContain("LINE");
  });

  it("issue 17: one's own stored messages carry their receipt; edits, reactions and mentions pass through, none on a deleted message", () => {
    const mine = { ...msg(1, "ana", at(10, 9)), editedAt: at(10, 9, 5), reactions: { "👍": ["bruno"] }, mentions: ["bruno"] };
    const theirs = msg(2, "bruno", at(10, 9, 1));
    const gone = { ...msg(3, "ana", at(10, 9, 2)), deleted: true, reactions: { "👍": ["bruno"] } };
    const items = buildTimeline([mine, theirs, gone], [pending("pppppppp", at(10, 9, 3))], "ana", now, null, (m) =>
      m.seq === 1 ? "read" : "sent",
    );
    const rows = items.filter((i) => i.kind === "message");
    expect(rows[0]).toMatchObject({ receipt: "read", editedAt: at(10, 9, 5), reactions: { "👍": ["bruno"] }, mentions: ["bruno"] });
    expect(rows[1]).not.toHaveProperty("receipt");
    expect(rows[2]).not.toHaveProperty("reactions");
    expect(rows[2]).not.toHaveProperty("receipt");
    expect(rows[3]).toMatchObject({ status: "pending" });
    expect(rows[3]).not.toHaveProperty("receipt");
  });

  it("issue 17.6: a message mentioning the reader, by name or @todos, is marked for them; never their own", () => {
    const named = { ...msg(1, "bruno", at(10, 9)), mentions: ["ana"] };
    const all = { ...msg(2, "bruno", at(10, 9, 1)), mentions: ["*"] };
    const other = { ...msg(3, "bruno", at(10, 9, 2)), mentions: ["carla"] };
    const own = { ...msg(4, "ana", at(10, 9, 3)), mentions: ["*"] };
    const rows = buildTimeline([named, all, other, own], [], "ana", now).filter((i) => i.kind === "message");
    expect(rows.map((r) => ("mentionsMe" in r ? r.mentionsMe : false))).toEqual([true, true, false, false]);
  });
});
