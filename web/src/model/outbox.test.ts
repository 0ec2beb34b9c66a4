import { describe, expect, it } from "vitest";
import { ClientMessageId } from "../../../protocol/chat";
import * as v from "valibot";
import {
  chatsWithPending,
  entryKey,
  isEntryKeyOf,
  newClientId,
  orderOutbox,
  pendingFor,
  readOutbox,
  readOutboxEntry,
  reduceOutbox,
  sendFrame,
  writtenAt,
  type OutboxEntry,
} from "./outbox";

const entry = (clientId: string, chatId = "dm.ana.bruno", createdAt = 1) => ({ chatId, clientId, text: `texto ${clientId}`, createdAt });

function fill(...ids: string[]): OutboxEntry[] {
  return ids.reduce<OutboxEntry[]>((box, id) => reduceOutbox(box, { type: "add", entry: entry(id) }), []);
}

describe("outbox", () => {
  it("keeps messages in the order they were written, for resending in order", () => {
    const box = fill("aaaaaaaa", "bbbbbbbb", "cccccccc");
    expect(pendingFor(box, "dm.ana.bruno").map((e) => e.clientId)).toEqual(["aaaaaaaa", "bbbbbbbb", "cccccccc"]);
  });

  it("an ack removes exactly that message; the others stay pending", () => {
    const box = reduceOutbox(fill("aaaaaaaa", "bbbbbbbb"), { type: "ack", clientId: "aaaaaaaa" });
    expect(box.map((e) => e.clientId)).toEqual(["bbbbbbbb"]);
  });

  it("adding the same clientId twice keeps one entry", () => {
    const box = reduceOutbox(fill("aaaaaaaa"), { type: "add", entry: entry("aaaaaaaa") });
    expect(box).toHaveLength(1);
  });

  it("a failed message is not resent until the user retries it", () => {
    let box = reduceOutbox(fill("aaaaaaaa", "bbbbbbbb"), { type: "fail", clientId: "aaaaaaaa", error: "grande demais" });
    expect(box[0]).toMatchObject({ status: "failed", error: "grande demais" });
    expect(pendingFor(box, "dm.ana.bruno").map((e) => e.clientId)).toEqual(["bbbbbbbb"]);
    box = reduceOutbox(box, { type: "retry", clientId: "aaaaaaaa" });
    expect(box[0]!.status).toBe("pending");
    expect(box[0]!.error).toBeUndefined();
    expect(pendingFor(box, "dm.ana.bruno").map((e) => e.clientId)).toEqual(["aaaaaaaa", "bbbbbbbb"]);
  });

  it("discard drops a message for good", () => {
    expect(reduceOutbox(fill("aaaaaaaa"), { type: "discard", clientId: "aaaaaaaa" })).toEqual([]);
  });

  it("lists each chat that still has something to send once", () => {
    let box = fill("aaaaaaaa", "bbbbbbbb");
    box = reduceOutbox(box, { type: "add", entry: entry("cccccccc", "dm.ana.carla") });
    box = reduceOutbox(box, { type: "add", entry: entry("dddddddd", "dm.ana.joao") });
    box = reduceOutbox(box, { type: "fail", clientId: "dddddddd", error: "x" });
    expect(chatsWithPending(box)).toEqual(["dm.ana.bruno", "dm.ana.carla"]);
    expect(pendingFor(box, "dm.ana.carla").map((e) => e.text)).toEqual(["texto cccccccc"]);
  });

  it("reads back what it stored and ignores garbage", () => {
    const box = fill("aaaaaaaa");
    expect(readOutbox(JSON.stringify(box))).toEqual(box);
    expect(readOutbox("{not json")).toEqual([]);
    expect(readOutbox(JSON.stringify([{ chatId: 1 }, ...box]))).toEqual(box);
    expect(readOutbox(null)).toEqual([]);
  });

  it("reads back one stored entry, and nothing from garbage", () => {
    const [one] = fill("aaaaaaaa");
    expect(readOutboxEntry(JSON.stringify(one))).toEqual(one);
    expect(readOutboxEntry(JSON.stringify({ ...one, status: "sent" }))).toBeNull();
    expect(readOutboxEntry(JSON.stringify([one]))).toBeNull();
    expect(readOutboxEntry("{not json")).toBeNull();
    expect(readOutboxEntry(null)).toBeNull();
  });

  it("issue 15: each entry has its own key under its owner's name, and another user's (one whose id starts the same) is not theirs", () => {
    const owner = "conversas.outbox.demo.ana";
    expect(entryKey(owner, "aaaaaaaa")).toBe("conversas.outbox.demo.ana:aaaaaaaa");
    expect(isEntryKeyOf(owner, entryKey(owner, "aaaaaaaa"))).toBe(true);
    expect(isEntryKeyOf(owner, entryKey("conversas.outbox.demo.ana2", "aaaaaaaa"))).toBe(false);
    expect(isEntryKeyOf(owner, owner)).toBe(false);
  });

  it("issue 15: entries gathered from several tabs come in the order they were written, the same in every tab", () => {
    const a = { ...entry("bbbbbbbb", "dm.ana.bruno", 20), status: "pending" as const };
    const b = { ...entry("aaaaaaaa", "dm.ana.bruno", 20), status: "pending" as const };
    const c = { ...entry("cccccccc", "dm.ana.bruno", 10), status: "pending" as const };
    expect(orderOutbox([a, b, c]).map((e) => e.clientId)).toEqual(["cccccccc", "aaaaaaaa", "bbbbbbbb"]);
    expect(orderOutbox([c, b, a])).toEqual(orderOutbox([a, b, c]));
  });

  it("issue 15: a tab's messages written within one millisecond still get increasing times", () => {
    let last = 0;
    const times = [1000, 1000, 1000, 999, 1005].map((now) => (last = writtenAt(now, last)));
    expect(times).toEqual([1000, 1001, 1002, 1003, 1005]);
  });

  it("makes clientIds the protocol accepts, different each time", () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(v.is(ClientMessageId, id)).toBe(true);
  });
});

describe("outbox with attachments and replies", () => {
  const attachment = {
    fileId: "file12345",
    name: "nota.webm",
    size: 10,
    contentType: "audio/webm",
    kind: "voice" as const,
    durationMs: 3200,
  };
  const replyTo = { seq: 7, senderId: "bruno", snippet: "oi" };

  it("R9, R10: an attachment is resent by its fileId (never re-uploaded), with its voice length and reply", () => {
    const box = reduceOutbox([], { type: "add", entry: { ...entry("vvvvvvvv"), text: "", attachment, replyTo } });
    expect(sendFrame(box[0]!)).toEqual({
      type: "message.send",
      clientId: "vvvvvvvv",
      text: "",
      fileId: "file12345",
      voice: { durationMs: 3200 },
      replyTo: 7,
    });
    expect(sendFrame(fill("tttttttt")[0]!)).toEqual({ type: "message.send", clientId: "tttttttt", text: "texto tttttttt" });
  });

  it("R9: a retried attachment keeps its file and reply; stored ones survive a reload", () => {
    let box = reduceOutbox([], { type: "add", entry: { ...entry("rrrrrrrr"), attachment, replyTo } });
    box = reduceOutbox(box, { type: "fail", clientId: "rrrrrrrr", error: "x" });
    box = reduceOutbox(box, { type: "retry", clientId: "rrrrrrrr" });
    expect(box[0]).toMatchObject({ status: "pending", attachment, replyTo });
    expect(box[0]).not.toHaveProperty("error");
    expect(readOutbox(JSON.stringify(box))).toEqual(box);
    expect(readOutbox(JSON.stringify([{ ...box[0], attachment: "x" }]))).toEqual([]);
  });

  it("issue 17.6: a message's mentions are resent with it and survive a reload", () => {
    const box = reduceOutbox([], { type: "add", entry: { ...entry("mmmmmmmm"), text: "@Ana Souza oi", mentions: ["ana"] } });
    expect(sendFrame(box[0]!)).toMatchObject({ type: "message.send", text: "@Ana Souza oi", mentions: ["ana"] });
    expect(readOutbox(JSON.stringify(box))).toEqual(box);
    expect(readOutbox(JSON.stringify([{ ...box[0], mentions: "ana" }]))).toEqual([]);
  });
});
