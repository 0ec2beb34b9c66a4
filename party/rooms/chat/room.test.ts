/**
 * The conversation room through our own seams (test/support/memory-host.ts: real
 * SQLite in memory, no runtime): sends and their idempotency, unread counts
 * derived from the log and the cursors — checked against a recomputation over
 * 40 seeded random runs of sends, deletes, two-device reads, leaves and re-adds —,
 * what the members' lists and the search index are told, the per-person frame
 * limits, and a room that still holds the key-value layout of earlier releases.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/chat";
import type { SystemEvent } from "../../../protocol/groups";
import { answer } from "../../../protocol/internal";
import { readConfig } from "../../runtime/config";
import { chatWorld, sendText } from "../../../test/support/chat-world";
import { MemoryWorld, type MemoryRoom, type MemorySocket } from "../../../test/support/memory-host";
import { BUSY_BACKLOG, DELIVERED_EVERY_MS, INDEX_EVERY_MS, LISTS_EVERY_MS } from "./fanout";
import { chatRoom } from "./room";
import { groupMeta } from "../../../test/support/fixtures";
import { ChatState, revAfter } from "./state";

const who = (userId: string) => ({ userId, tenant: "acme", sid: `sessao-${userId}-000001` });
let world: MemoryWorld;

function newWorld(config?: ReturnType<typeof readConfig>) {
  world = chatWorld(config);
}
beforeEach(() => newWorld());

let n = 0;
const cid = () => `cliente-${++n}`.padEnd(8, "0");

const send = sendText;

async function summary(room: MemoryRoom<"chat">, userId: string) {
  const res = await room.rpc("chat.summary", { userId });
  if (!res.ok) throw new Error(res.message);
  return res.value.summary;
}

describe("sends", () => {
  it("R8/R9: a send is acked with the stored message, reaches the other member, and a resend is idempotent", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const m = await send(room, ana, "olá");
    expect(m).toMatchObject({ seq: 1, senderId: "ana", text: "olá", chatId: "dm.ana.bruno" });
    expect(bruno.frames().find((f) => f.type === "message.new")?.message).toEqual(m);
    await room.message(ana, { type: "message.send", clientId: m.clientId, text: "olá de novo" });
    const acks = ana.frames().filter((f) => f.type === "message.ack" && f.clientId === m.clientId);
    expect(acks.map((a) => a.message)).toEqual([m, m]);
    const again = await room.connect(who("bruno"));
    expect(again.frames()[0]).toMatchObject({ type: "chat.ready", lastSeq: 1, messages: [m] });
  });

  it("R9: a resend of a message with a file (its upload now used, so refused as new) is acknowledged, not refused or stored twice", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const req = new Request("https://x/parties/chat/acme.dm.ana.bruno/files", {
      method: "POST",
      headers: { "content-length": "3", "content-type": "application/pdf", "x-file-name": "a.pdf" },
      body: "pdf",
    });
    const res = await room.request(req, who("ana"));
    expect(res.status).toBe(201);
    const { fileId } = ((await res.json()) as { attachment: { fileId: string } }).attachment;
    const clientId = cid();
    await room.message(ana, { type: "message.send", clientId, text: "segue", fileId });
    await room.message(ana, { type: "message.send", clientId, text: "segue", fileId });
    const acks = ana.frames().filter((f) => f.type === "message.ack" && f.clientId === clientId);
    expect(acks).toHaveLength(2);
    expect(acks[1].message).toEqual(acks[0].message);
    expect(acks[0].message.attachment.fileId).toBe(fileId);
    expect(ana.frames().filter((f) => f.type === "error")).toEqual([]);
    expect(room.storage.one("SELECT count(*) AS n FROM messages")).toEqual({ n: 1 });
  });

  it("issue 12 (low): text with nothing visible, or a lone surrogate, is refused and stores nothing", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    for (const text of ["\u200b\u200b", "\u2060\ufeff \u200d", "\ud800abc", "ok\udfff"]) {
      const clientId = cid();
      await room.message(ana, { type: "message.send", clientId, text });
      expect(ana.frames().at(-1), JSON.stringify(text)).toMatchObject({ type: "error", code: "invalid_frame", field: "text", clientId });
    }
    expect(room.storage.one("SELECT count(*) AS n FROM messages")).toEqual({ n: 0 });
  });

  it("R14: a group's system lines cannot be deleted or forwarded (the rule lives in the domain)", async () => {
    const room = world.room("chat", "acme.g.abcdefgh12345678");
    expect((await room.rpc("chat.createGroup", { creator: "ana", name: "Plantão", members: ["bruno"] })).ok).toBe(true);
    const ana = await room.connect(who("ana"));
    await room.message(ana, { type: "message.delete", seq: 1 });
    expect(ana.frames().at(-1)).toMatchObject({ type: "error", code: "forbidden", message: "Avisos do grupo não podem ser apagados." });
    await room.message(ana, { type: "message.forward", clientId: cid(), seq: 1, to: ["dm.ana.bruno"] });
    expect(ana.frames().at(-1)).toMatchObject({ type: "error", code: "forbidden", message: "Avisos do grupo não podem ser encaminhados." });
  });
});

describe("issue 15: sends that arrive together are committed together", () => {
  /** Counts the room's transactions from now on. */
  function countCommits(room: MemoryRoom<"chat">) {
    const counted = { n: 0 };
    const transaction = room.storage.transaction.bind(room.storage);
    room.storage.transaction = ((work: () => unknown) => {
      counted.n += 1;
      return transaction(work);
    }) as typeof room.storage.transaction;
    return counted;
  }
  const ackOf = (s: MemorySocket, clientId: string) =>
    s.frames().find((f) => f.type === "message.ack" && f.clientId === clientId)?.message as Message | undefined;

  it("a burst from two people is one transaction, in arrival order; each sender gets its own ack and the other each message", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const commits = countCommits(room);
    const burst = [ana, bruno, ana, ana, bruno].map((s, i) => ({ s, clientId: cid(), text: `rajada ${i}` }));
    await Promise.all(burst.map((b) => room.message(b.s, { type: "message.send", clientId: b.clientId, text: b.text })));
    expect(commits.n).toBe(1);
    const stored = room.storage.all<{ seq: number; body: string }>("SELECT seq, body FROM messages ORDER BY seq");
    expect(stored.map((r) => (JSON.parse(r.body) as Message).text)).toEqual(burst.map((b) => b.text));
    burst.forEach((b, i) => {
      expect(ackOf(b.s, b.clientId)).toMatchObject({ seq: i + 1, text: b.text, senderId: b.s.identity.userId });
      const other = b.s === ana ? bruno : ana;
      expect(other.frames().filter((f) => f.type === "message.new" && f.message.clientId === b.clientId)).toHaveLength(1);
      expect(b.s.frames().some((f) => f.type === "message.new" && f.message.clientId === b.clientId)).toBe(false);
    });
    // Unread follows the batch: one's own message moves where one's unread starts (ana's last is 4, bruno's 5).
    expect(await summary(room, "ana")).toMatchObject({ unread: 1 });
    expect(await summary(room, "bruno")).toMatchObject({ unread: 0 });
  });

  it("a send while an earlier frame's work is pending (an import) does not overtake it: the import continues the log, the send comes after", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    await room.connect(who("bruno"));
    const imported = [1, 2, 3].map((seq) => ({
      id: `dm.ana.bruno:${seq}`,
      seq,
      chatId: "dm.ana.bruno",
      clientId: cid(),
      senderId: "bruno",
      text: `antiga ${seq}`,
      createdAt: 1_700_000_000_000 + seq,
    }));
    const clientId = cid();
    const [res] = await Promise.all([
      room.rpc("chat.import", { messages: imported }),
      room.message(ana, { type: "message.send", clientId, text: "nova" }),
    ]);
    expect(res).toMatchObject({ ok: true, value: { imported: 3 } });
    expect(ackOf(ana, clientId)).toMatchObject({ seq: 4, text: "nova" });
  });

  it("a client that offered to take frames together gets one WebSocket message per batch; one that did not, one per frame", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"), { frames: true });
    const bruno = await room.connect(who("bruno"));
    const brunoApp2 = await room.connect(who("bruno"), { frames: true });
    const [before, brunoBefore, app2Before] = [ana.sent.length, bruno.sent.length, brunoApp2.sent.length];
    const ids = [cid(), cid(), cid()];
    await Promise.all(ids.map((clientId, i) => room.message(ana, { type: "message.send", clientId, text: `junto ${i}` })));
    const wire = ana.sent.slice(before).map((d) => JSON.parse(d));
    expect(wire).toHaveLength(1);
    expect(wire[0].type).toBe("frames");
    expect(wire[0].frames.map((f: { type: string; clientId: string }) => [f.type, f.clientId])).toEqual(
      ids.map((id) => ["message.ack", id]),
    );
    expect(bruno.sent.slice(brunoBefore).map((d) => JSON.parse(d).type)).toEqual(["message.new", "message.new", "message.new"]);
    const app2 = brunoApp2.sent.slice(app2Before).map((d) => JSON.parse(d));
    expect(app2).toHaveLength(1);
    expect(app2[0].frames.map((f: { message: Message }) => f.message.text)).toEqual(["junto 0", "junto 1", "junto 2"]);
    // A lone send is a frame of its own, also to a client that takes frames together.
    const alone = ana.sent.length;
    await send(room, ana, "sozinha");
    expect(ana.sent.slice(alone).map((d) => JSON.parse(d).type)).toEqual(["message.ack"]);
  });

  it("any other frame first commits the sends before it, so a read in a burst sees them and order holds", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const commits = countCommits(room);
    await Promise.all([
      room.message(ana, { type: "message.send", clientId: cid(), text: "um" }),
      room.message(ana, { type: "message.send", clientId: cid(), text: "dois" }),
      room.message(bruno, { type: "read.mark", seq: 2 }),
      room.message(ana, { type: "message.send", clientId: cid(), text: "três" }),
    ]);
    // The two sends, the read (it saw seq 2), and the last send.
    expect(commits.n).toBe(3);
    expect(bruno.frames().filter((f) => f.type === "read.updated")).toEqual([{ type: "read.updated", userId: "bruno", seq: 2 }]);
    expect(await summary(room, "bruno")).toMatchObject({ unread: 1 });
  });

  it("in one batch: a resend of a stored message, a clientId sent twice and a refused reply; the rest is stored once each", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const first = await send(room, ana, "já gravada");
    const twice = cid();
    const refused = cid();
    const fresh = cid();
    await Promise.all([
      room.message(ana, { type: "message.send", clientId: twice, text: "duas vezes" }),
      room.message(ana, { type: "message.send", clientId: first.clientId, text: "já gravada" }),
      room.message(ana, { type: "message.send", clientId: refused, text: "resposta", replyTo: 99 }),
      room.message(ana, { type: "message.send", clientId: twice, text: "duas vezes" }),
      room.message(ana, { type: "message.send", clientId: fresh, text: "nova" }),
    ]);
    const texts = room.storage
      .all<{ body: string }>("SELECT body FROM messages ORDER BY seq")
      .map((r) => (JSON.parse(r.body) as Message).text);
    expect(texts).toEqual(["já gravada", "duas vezes", "nova"]);
    const acks = (clientId: string) =>
      ana
        .frames()
        .filter((f) => f.type === "message.ack" && f.clientId === clientId)
        .map((f) => f.message);
    expect(acks(first.clientId)).toEqual([first, first]);
    expect(acks(twice)).toHaveLength(2);
    expect(acks(twice)[1]).toEqual(acks(twice)[0]);
    expect(acks(fresh)).toMatchObject([{ seq: 3, text: "nova" }]);
    expect(ana.frames().filter((f) => f.type === "error")).toMatchObject([{ code: "not_found", field: "replyTo", clientId: refused }]);
  });

  it("a socket that throws while taking its frames leaves no send of a stored batch unanswered, nor the other sockets unserved", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const broken = await room.connect(who("bruno"));
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    broken.sendAll = () => {
      throw new Error("socket quebrado");
    };
    const results = await Promise.allSettled(
      [cid(), cid()].map((clientId) => room.message(ana, { type: "message.send", clientId, text: "para todos" })),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(room.storage.one("SELECT count(*) AS n FROM messages")).toEqual({ n: 2 });
    expect(ana.frames().filter((f) => f.type === "message.ack")).toHaveLength(2);
    expect(bruno.frames().filter((f) => f.type === "message.new")).toHaveLength(2);
    expect(await summary(room, "bruno")).toMatchObject({ unread: 2 });
  });

  it("a removed member's sends waiting for the commit are refused once the removal is in: none lands after it", async () => {
    for (let round = 0; round < 6; round++) {
      newWorld();
      const room = world.room("chat", "acme.g.abcdefgh12345678");
      await room.rpc("chat.createGroup", { creator: "ana", name: "Saída", members: ["bruno"] });
      const ana = await room.connect(who("ana"));
      const bruno = await room.connect(who("bruno"));
      const sends = (n: number) =>
        Array.from({ length: n }, () => room.message(bruno, { type: "message.send", clientId: cid(), text: "ainda aqui?" }));
      // The removal lands at a different point of bruno's burst each round.
      await Promise.allSettled([...sends(round), room.message(ana, { type: "group.remove", userId: "bruno" }), ...sends(3)]);
      const log = room.storage.all<{ body: string }>("SELECT body FROM messages ORDER BY seq").map((r) => JSON.parse(r.body) as Message);
      const removedAt = log.find((m) => m.system?.kind === "removed")!.seq;
      expect(
        log.filter((m) => m.senderId === "bruno" && !m.system && m.seq > removedAt),
        `round ${round}`,
      ).toEqual([]);
      expect(log.filter((m) => m.senderId === "bruno" && !m.system)).toHaveLength(round);
    }
  });

  it("a batch that fails to write stores nothing, answers each of its sends with an error, and the room goes on", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const transaction = room.storage.transaction.bind(room.storage);
    room.storage.transaction = (() => {
      throw new Error("disco cheio");
    }) as typeof room.storage.transaction;
    const tries = [cid(), cid()];
    const results = await Promise.allSettled(
      tries.map((clientId) => room.message(ana, { type: "message.send", clientId, text: "perdida?" })),
    );
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(room.storage.one("SELECT count(*) AS n FROM messages")).toEqual({ n: 0 });
    expect(ana.frames().some((f) => f.type === "message.ack")).toBe(false);
    expect(bruno.frames().some((f) => f.type === "message.new")).toBe(false);
    room.storage.transaction = transaction;
    const m = await send(room, ana, "de novo");
    expect(m.seq).toBe(1);
  });
});

describe("issue 18.9 the archive", () => {
  it("a chat's exported cursors are the same before and after the lists are told (the list mark makes no cursor of its own)", async () => {
    const room = world.room("chat", "acme.dm.bruno.carla");
    const carla = await room.connect(who("carla"));
    await send(room, carla, "mensagem só para o bruno");
    const head = async () => {
      const res = await room.rpc("chat.exportHead", {});
      if (!res.ok) throw new Error(res.message);
      return res.value.cursors;
    };
    const before = await head();
    await world.settle();
    world.now += LISTS_EVERY_MS;
    await world.settle();
    expect(world.calls.some((c) => c.route === "user.listAdd" && c.roomId.endsWith(".bruno"))).toBe(true);
    expect(await head()).toEqual(before);
    expect(before).toEqual([{ userId: "carla", read: 0, joined: 0, sent: 1 }]);
  });
});

describe("R6/R20 unread counts read off the log", () => {
  const msg = (m: Message) => m;

  it("count the others' messages after the cursor, not one's own, deleted ones or group notices", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const one = msg(await send(room, ana, "oi"));
    const two = await send(room, ana, "tudo bem?");
    expect(await summary(room, "bruno")).toMatchObject({ unread: 2, lastUnreadAt: two.createdAt });
    expect(await summary(room, "ana")).toMatchObject({ unread: 0, lastUnreadAt: null });
    await room.message(bruno, { type: "read.mark", seq: 1 });
    expect(await summary(room, "bruno")).toMatchObject({ unread: 1 });
    await room.message(ana, { type: "message.delete", seq: two.seq });
    expect(await summary(room, "bruno")).toMatchObject({ unread: 0, lastUnreadAt: null });
    expect(one.seq).toBe(1);
  });

  it("never drift: 40 seeded runs of sends, bursts, deletes, two-device reads, leaves and re-adds agree with a recomputation", async () => {
    const people = ["ana", "bruno", "carla", "davi"];
    for (let seed = 1; seed <= 40; seed++) {
      newWorld();
      let s = seed >>> 0;
      const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const room = world.room("chat", "acme.g.abcdefgh12345678");
      await room.rpc("chat.createGroup", { creator: "ana", name: "Deriva", members: ["bruno"] });
      const members = new Set(["ana", "bruno"]);
      const sockets = new Map<string, MemorySocket[]>();
      const devices = async (p: string) => {
        sockets.set(p, [await room.connect(who(p)), await room.connect(who(p))]);
      };
      for (const p of members) await devices(p);
      const check = async (when: string) => {
        const log = room.storage.all<{ body: string }>("SELECT body FROM messages ORDER BY seq").map((r) => JSON.parse(r.body) as Message);
        const cursors = new Map(
          room.storage
            .all<{ user_id: string; read_seq: number }>("SELECT user_id, read_seq FROM cursors")
            .map((c) => [c.user_id, c.read_seq]),
        );
        for (const p of members) {
          const joined = Math.max(
            0,
            ...log
              .filter(
                (m) =>
                  (m.system?.kind === "added" && m.system.targets.includes(p)) || (m.system?.kind === "created" && m.system.actor === p),
              )
              .map((m) => m.seq),
          );
          const sent = Math.max(0, ...log.filter((m) => !m.system && m.senderId === p).map((m) => m.seq));
          const from = Math.max(cursors.get(p) ?? 0, joined, sent);
          const unread = log.filter((m) => m.seq > from && !m.system && !m.deleted && m.senderId !== p);
          expect(await summary(room, p), `seed ${seed} ${when} ${p}`).toMatchObject({
            unread: unread.length,
            lastUnreadAt: unread.at(-1)?.createdAt ?? null,
          });
        }
      };
      for (let step = 0; step < 120; step++) {
        const p = pick([...members]);
        const [d1, d2] = sockets.get(p)!;
        const r = rnd();
        const last = room.storage.one<{ seq: number }>("SELECT max(seq) AS seq FROM messages")!.seq;
        if (r < 0.3) await send(room, d1!, `passo ${step}`);
        else if (r < 0.45) {
          // A burst (issue 15): sends of several members and devices share one commit; a read among them commits
          // those before it.
          const q = pick([...members]);
          await Promise.all([
            send(room, d1!, `rajada ${step} a`),
            send(room, sockets.get(q)![1]!, `rajada ${step} b`),
            ...(rnd() < 0.5 ? [room.message(sockets.get(q)![0]!, { type: "read.mark", seq: last + 1 })] : []),
            send(room, d2!, `rajada ${step} c`),
          ]);
        } else if (r < 0.6) {
          const own = room.storage.all<{ seq: number }>("SELECT seq FROM messages WHERE sender = ? AND counted = 1 AND deleted = 0", p);
          if (own.length) await room.message(d1!, { type: "message.delete", seq: pick(own).seq });
        } else if (r < 0.85) {
          await room.message(d1!, { type: "read.mark", seq: Math.floor(rnd() * (last + 1)) });
          await room.message(d2!, { type: "read.mark", seq: Math.floor(rnd() * (last + 1)) });
        } else if (r < 0.93 && p !== "ana" && members.size > 1) {
          await room.message(d1!, { type: "group.leave" });
          members.delete(p);
        } else {
          const out = people.filter((x) => !members.has(x));
          if (!out.length) continue;
          const q = pick(out);
          await room.message(sockets.get("ana")![0]!, { type: "group.add", userIds: [q] });
          members.add(q);
          await devices(q);
        }
        // The views are kept in step with the log: checked as the run goes, not only at its end.
        if (step % 7 === 6) await check(`step ${step}`);
      }
      await check("end");
    }
  }, 60_000);
});

describe("issue 15: a big group's room, woken, reads its members' views at once", () => {
  it("150 members' unread counts, mentions and cursors in two statements, each as a recomputation from the log says", async () => {
    const id = "acme.g.abcdefgh1234567c";
    const room = world.room("chat", id);
    const members = Array.from({ length: 150 }, (_, i) => `p${String(i).padStart(3, "0")}`);
    await room.rpc("chat.createGroup", { creator: "ana", name: "Empresa", members });
    const everyone = ["ana", ...members];
    const sockets = new Map<string, MemorySocket>();
    const socket = async (u: string) => sockets.get(u) ?? sockets.set(u, await room.connect(who(u))).get(u)!;
    let s = 7;
    const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    for (let i = 0; i < 120; i++) {
      const from = await socket(pick(everyone.slice(0, 30)));
      const r = rnd();
      if (r < 0.6) await send(room, from, `m ${i}`);
      else if (r < 0.75) {
        // Mentions of some members and of everyone (issue 17.6).
        const mentions = rnd() < 0.3 ? ["*"] : [pick(members), pick(members)];
        await room.message(from, { type: "message.send", clientId: cid(), text: `@ ${i}`, mentions });
      } else if (r < 0.85) {
        const own = room.storage.all<{ seq: number }>(
          "SELECT seq FROM messages WHERE sender = ? AND counted = 1 AND deleted = 0",
          from.identity.userId,
        );
        if (own.length) await room.message(from, { type: "message.delete", seq: pick(own).seq });
      } else {
        const last = room.storage.one<{ seq: number }>("SELECT max(seq) AS seq FROM messages")!.seq;
        await room.message(await socket(pick(members)), { type: "read.mark", seq: Math.floor(rnd() * (last + 1)) });
      }
    }
    // A deleted mention no longer counts.
    const mention = room.storage.one<{ seq: number; sender: string }>(
      "SELECT m.seq, g.sender FROM mentions m JOIN messages g ON g.seq = m.seq WHERE g.deleted = 0 ORDER BY m.seq DESC LIMIT 1",
    )!;
    await room.message(await socket(mention.sender), { type: "message.delete", seq: mention.seq });
    await world.settle();

    // The room wakes (its memory gone) and a list update needs every member's view.
    let selects = 0;
    const counting = {
      ...room.storage,
      all: <T>(q: string, ...b: Parameters<typeof room.storage.all>[1][]) => ((selects += 1), room.storage.all<T>(q, ...b)),
      one: <T>(q: string, ...b: Parameters<typeof room.storage.one>[1][]) => ((selects += 1), room.storage.one<T>(q, ...b)),
    };
    const woke = new ChatState(counting, id);
    woke.load();
    selects = 0;
    woke.warm(everyone);
    expect(selects).toBe(2);
    const states = everyone.map((u) => [u, woke.unread(u), woke.cursor(u)] as const);
    expect(selects).toBe(2);

    const log = room.storage.all<{ body: string }>("SELECT body FROM messages ORDER BY seq").map((r) => JSON.parse(r.body) as Message);
    const reads = new Map(
      room.storage.all<{ user_id: string; read_seq: number }>("SELECT user_id, read_seq FROM cursors").map((c) => [c.user_id, c.read_seq]),
    );
    let mentionedSomeone = 0;
    for (const [u, unread, cursor] of states) {
      const sent = Math.max(0, ...log.filter((m) => !m.system && m.senderId === u).map((m) => m.seq));
      const from = Math.max(reads.get(u) ?? 0, 1, sent); // everyone joined at the group's first message
      const after = log.filter((m) => m.seq > from && !m.system && !m.deleted && m.senderId !== u);
      const mentioned = log.some((m) => m.seq > from && !m.deleted && (m.mentions ?? []).some((x) => x === u || x === "*"));
      mentionedSomeone += mentioned ? 1 : 0;
      expect([u, unread], u).toEqual([
        u,
        after.length
          ? { unread: after.length, lastUnreadAt: after.at(-1)!.createdAt, mentioned }
          : { unread: 0, lastUnreadAt: null, mentioned: false },
      ]);
      expect(cursor.read, u).toBe(reads.get(u) ?? 0);
      expect(cursor.sent, u).toBe(sent);
    }
    // The run made the cases it claims to check.
    expect(mentionedSomeone).toBeGreaterThan(0);
    expect(log.some((m) => m.deleted && m.mentions?.length)).toBe(true);
    expect(states.filter(([, x]) => x.unread > 0).length).toBeGreaterThan(100);
  });
});

describe("issue 15: what a change costs others", () => {
  /** Every member has the app open: the hub says each list update reached them (their messages are "Entregue"). */
  const everyAppOpen = () =>
    world.stubs.set("hub.chatChanged", (_r, body) => answer({ delivered: 0, reached: body.members.map((m) => m[0]) }));

  it("a message makes one list call per hub shard with every member's state, and hands its text to the search index", async () => {
    const room = world.room("chat", "acme.g.abcdefgh12345678");
    const members = Array.from({ length: 40 }, (_, i) => `p${i}`);
    await room.rpc("chat.createGroup", { creator: "ana", name: "Todos", members });
    const ana = await room.connect(who("ana"));
    await world.settle();
    world.calls.length = 0;
    await send(room, ana, "bom dia a todos");
    await world.settle();
    const hub = world.calls.filter((c) => c.route === "hub.chatChanged");
    expect(hub).toHaveLength(1);
    expect((hub[0]!.body as { members: unknown[] }).members).toHaveLength(41);
    expect(world.calls.filter((c) => c.route.startsWith("user."))).toHaveLength(0);
    const indexed = world.calls.filter((c) => c.route === "search.index");
    expect(indexed.flatMap((c) => (c.body as { docs: { text: string }[] }).docs.map((d) => d.text))).toEqual(["bom dia a todos"]);
  });

  it("a plain send stores no change counter, yet after a restart the counter goes on above every rev handed out", async () => {
    const id = "acme.g.abcdefgh1234567b";
    const room = world.room("chat", id);
    await room.rpc("chat.createGroup", { creator: "ana", name: "Revs", members: ["bruno"] });
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const writes = () => room.storage.all("SELECT value FROM chat_kv WHERE key = 'rev'")[0] as { value: string };
    for (let i = 0; i < 3; i++) await send(room, ana, `um ${i}`);
    const before = writes().value;
    await send(room, ana, "mais um");
    expect(writes().value).toBe(before); // the send wrote no counter
    await room.message(bruno, { type: "read.mark", seq: 2 }); // a read does
    expect(writes().value).not.toBe(before);
    for (let i = 0; i < 4; i++) await send(room, bruno, `dois ${i}`);
    const handedOut = (await summary(room, "ana"))!.rev;
    const restarted = new ChatState(room.storage, id);
    restarted.load();
    expect(restarted.rev).toBeGreaterThanOrEqual(handedOut);
    restarted.commit((tx) => tx.setRead("ana", restarted.lastSeq));
    expect(restarted.rev).toBeGreaterThan(handedOut);
    // Stored before this change as a bare number: counted from seq 0, never below it.
    expect(revAfter("7", 5)).toBe(12);
    expect(revAfter("7@5", 9)).toBe(11);
    expect(revAfter(null, 3)).toBe(3);
  });

  it("a burst of messages pays no list call or index hand-off of its own: at most one each per interval, none lost", async () => {
    const room = world.room("chat", "acme.g.abcdefgh1234567a");
    await room.rpc("chat.createGroup", { creator: "ana", name: "Todos", members: ["bruno", "carla"] });
    const ana = await room.connect(who("ana"));
    await world.settle();
    world.now += LISTS_EVERY_MS; // a quiet spell
    world.calls.length = 0;
    const texts = Array.from({ length: 20 }, (_, i) => `rajada ${i}`);
    const started = performance.now();
    for (const t of texts) await send(room, ana, t);
    // Sent one after another, the burst takes a few ms; on a loaded machine it can span several intervals.
    const intervals = Math.floor((performance.now() - started) / LISTS_EVERY_MS);
    await world.settle();
    const hub = world.calls.filter((c) => c.route === "hub.chatChanged");
    const indexed = world.calls.filter((c) => c.route === "search.index");
    // The first message goes at once; the other nineteen fold into one update at the interval's end (one per
    // interval the burst spanned).
    expect(hub.length).toBeLessThanOrEqual(2 + intervals);
    expect(indexed.length).toBeLessThanOrEqual(2 + intervals);
    const last = hub.at(-1)!.body as { base: { lastMessage: { text: string } }; members: [string, number][] };
    expect(last.base.lastMessage.text).toBe("rajada 19");
    expect(Object.fromEntries(last.members.map((m) => [m[0], m[1]]))).toEqual({ ana: 0, bruno: 20, carla: 20 });
    expect(indexed.flatMap((c) => (c.body as { docs: { text: string }[] }).docs.map((d) => d.text))).toEqual(texts);
    expect(LISTS_EVERY_MS).toBeLessThanOrEqual(150);
  });

  it("a quiet chat's message is indexed before its lists show it; a busy chat hands its messages to the index at a slower pace than its lists", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    await world.settle();
    world.now += INDEX_EVERY_MS; // a quiet spell
    world.calls.length = 0;
    const routes = () => world.calls.map((c) => c.route).filter((r) => r === "hub.chatChanged" || r === "search.index");
    await send(room, ana, "primeira");
    await new Promise((r) => setImmediate(r));
    // Quiet: at once, the index first.
    expect(routes()).toEqual(["search.index", "hub.chatChanged"]);
    // A burst: the lists are told at the end of their interval, the index waits for its own. Its messages arrive
    // together, as a burst does: sent one after another, a loaded machine spread them over several list intervals,
    // each with fewer than BUSY_BACKLOG waiting, so each went to the index at once, as a quiet chat's does.
    const burst = Array.from({ length: BUSY_BACKLOG + 5 }, (_, i) => `rajada ${i}`);
    await Promise.all(burst.map((t) => send(room, ana, t)));
    await new Promise((r) => setTimeout(r, LISTS_EVERY_MS + 30));
    expect(routes()).toEqual(["search.index", "hub.chatChanged", "hub.chatChanged"]);
    await world.settle();
    expect(routes()).toEqual(["search.index", "hub.chatChanged", "hub.chatChanged", "search.index"]);
    const indexed = world.calls.filter((c) => c.route === "search.index");
    expect(indexed.flatMap((c) => (c.body as { docs: { text: string }[] }).docs.map((d) => d.text))).toEqual(["primeira", ...burst]);
    expect(INDEX_EVERY_MS).toBeLessThanOrEqual(1_000);
  });

  it("delivery marks ('Entregue') of a busy group are written at most once a second per member, not once per message", async () => {
    const room = world.room("chat", "acme.g.abcdefgh12345679");
    const members = Array.from({ length: 30 }, (_, i) => `p${i}`);
    everyAppOpen();
    await room.rpc("chat.createGroup", { creator: "ana", name: "Todos", members });
    const ana = await room.connect(who("ana"));
    await world.settle();
    await new Promise((r) => setTimeout(r, DELIVERED_EVERY_MS + 50));
    const logged = () =>
      (room.storage.db.prepare("SELECT count(*) AS n FROM receipt_log WHERE kind = 'delivered'").get() as { n: number }).n;
    const before = logged();
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await send(room, ana, `aviso ${i}`)).seq;
    await world.settle();
    // The first message's marks went at once; the next four wait for the interval's end.
    expect(logged() - before).toBeLessThanOrEqual(31);
    await new Promise((r) => setTimeout(r, DELIVERED_EVERY_MS + 50));
    expect(logged() - before).toBeLessThanOrEqual(62);
    const ready = await room.connect(who("p7"));
    expect(ready.frames()[0]).toMatchObject({ type: "chat.ready", deliveredCursors: { p7: last } });
    const told = ana.frames().filter((f) => f.type === "delivered.updated");
    expect(told.length).toBeLessThanOrEqual(3);
    expect(told.at(-1)!.cursors).toMatchObject({ p0: last, p29: last });
  });

  it("delivery marks go to the senders of the messages they move past, not to every member of the group", async () => {
    const room = world.room("chat", "acme.g.abcdefgh1234567a");
    const members = ["bruno", "carla", "davi"];
    everyAppOpen();
    await room.rpc("chat.createGroup", { creator: "ana", name: "Equipe", members });
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const carla = await room.connect(who("carla"));
    await world.settle();
    await new Promise((r) => setTimeout(r, DELIVERED_EVERY_MS + 50));
    const told = (s: typeof ana) => s.frames().filter((f) => f.type === "delivered.updated");
    const before = { ana: told(ana).length, bruno: told(bruno).length, carla: told(carla).length };
    await send(room, ana, "reunião às 16h");
    const last = await send(room, carla, "ok");
    await world.settle();
    await new Promise((r) => setTimeout(r, DELIVERED_EVERY_MS + 50));
    // Ana and Carla wrote in the stretch the marks moved over: their ticks change. Bruno wrote nothing.
    expect(told(ana).length).toBeGreaterThan(before.ana);
    expect(told(carla).length).toBeGreaterThan(before.carla);
    expect(told(bruno).length).toBe(before.bruno);
    expect(told(ana).at(-1)!.cursors).toMatchObject({ bruno: last.seq, davi: last.seq });
  });

  it("a read changes one member's list only; a deletion reaches the search index before anyone sees it gone", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const m = await send(room, ana, "segredo");
    await world.settle();
    world.calls.length = 0;
    await room.message(bruno, { type: "read.mark", seq: m.seq });
    await world.settle();
    const reads = world.calls.filter((c) => c.route === "hub.chatChanged");
    expect(reads.map((c) => (c.body as { members: [string][] }).members.map((x) => x[0]))).toEqual([["bruno"]]);
    const order: string[] = [];
    world.stubs.set(
      "search.index",
      (_r, body) => (order.push(`index ${JSON.stringify((body as { removed: number[] }).removed)}`), answer({ indexed: 0 })),
    );
    const deleting = room.message(ana, { type: "message.delete", seq: m.seq });
    await deleting;
    order.push(bruno.frames().some((f) => f.type === "message.updated") ? "broadcast" : "none");
    expect(order).toEqual([`index [${m.seq}]`, "broadcast"]);
  });
});

describe("issue 12 (low) uploads", () => {
  it("an upload whose body is shorter than its Content-Length gets 400 and stores nothing", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    await room.connect(who("ana"));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(1000));
        c.error(new Error("a conexão caiu"));
      },
    });
    const req = new Request("https://x/parties/chat/acme.dm.ana.bruno/files", {
      method: "POST",
      headers: { "content-length": "50000", "content-type": "application/pdf", "x-file-name": "curto.pdf" },
      body,
      duplex: "half",
    } as RequestInit);
    const res = await room.request(req, who("ana"));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_body", field: "content-length" });
    expect(room.storage.one("SELECT count(*) AS n FROM files")).toEqual({ n: 0 });
    expect(world.files.objects.size).toBe(0);
  });
});

describe("issue 12.7 frame limits", () => {
  it("a flood from one socket is refused with rate_limited, the socket is closed (1008) on sustained abuse, and others are not slowed", async () => {
    newWorld(
      readConfig({
        CONVERSAS_SESSION_SECRET: "memory-host-session-secret",
        CONVERSAS_ADMIN_KEY: "memory-host-admin-key",
        CONVERSAS_RATE_SEND: "5/1",
      }),
    );
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    for (let i = 0; i < 5; i++) await send(room, ana, `ok ${i}`);
    await room.message(ana, { type: "message.send", clientId: cid(), text: "demais" });
    expect(ana.frames().at(-1)).toMatchObject({ type: "error", code: "rate_limited", retryAfterMs: expect.any(Number) });
    for (let i = 0; i < 250 && !ana.closedWith; i++) await room.message(ana, { type: "message.send", clientId: cid(), text: "flood" });
    expect(ana.closedWith?.code).toBe(1008);
    expect((await send(room, bruno, "eu ainda falo")).text).toBe("eu ainda falo");
    expect(room.storage.one("SELECT count(*) AS n FROM messages")).toEqual({ n: 6 });
  });
});

describe("issue 13.4 a room written by the previous layout", () => {
  it("moves its key-value data into the tables on first start, keeps every message, cursor, file and share, and deletes the old keys", async () => {
    const pad = (seq: number) => String(seq).padStart(12, "0");
    const m = (seq: number, senderId: string, text: string, extra: Partial<Message> = {}): Message => ({
      id: `g.abcdefgh12345678:${seq}`,
      seq,
      chatId: "g.abcdefgh12345678",
      clientId: `c-${seq}-0000000`,
      senderId,
      text,
      createdAt: 1000 + seq,
      ...extra,
    });
    const sys = (seq: number, e: SystemEvent) => m(seq, "ana", "", { clientId: `system-${seq}`, system: e });
    const legacy = new Map<string, unknown>([
      [
        "meta",
        groupMeta("Antigo", [
          ["ana", 1],
          ["bruno", 1],
        ]),
      ],
      ["seq", 4],
      [`m:${pad(1)}`, sys(1, { kind: "created", actor: "ana", name: "Antigo" })],
      [`m:${pad(2)}`, sys(2, { kind: "added", actor: "ana", targets: ["bruno"] })],
      [
        `m:${pad(3)}`,
        m(3, "ana", "bom dia", {
          attachment: { fileId: "arquivo-0001", name: "a.pdf", size: 3, contentType: "application/pdf", kind: "document" },
        }),
      ],
      [`m:${pad(4)}`, m(4, "ana", "tudo certo?")],
      [`cid:ana:c-3-0000000`, 3],
      [`read:bruno`, 3],
      [
        `file:arquivo-0001`,
        {
          uploaderId: "ana",
          attachment: { fileId: "arquivo-0001", name: "a.pdf", size: 3, contentType: "application/pdf", kind: "document" },
          usedBySeq: 3,
          createdAt: 5,
        },
      ],
      [`att:documents:${pad(3)}`, "document"],
      ["__ps_name", "acme.g.abcdefgh12345678"],
    ]);
    const { MemoryRoom } = await import("../../../test/support/memory-host");
    const room = new MemoryRoom(world, "chat", "acme.g.abcdefgh12345678", chatRoom, legacy);
    const bruno = await room.connect(who("bruno"));
    const ready = bruno.frames()[0];
    expect(ready).toMatchObject({ type: "chat.ready", lastSeq: 4, readCursors: { bruno: 3 }, group: { name: "Antigo" } });
    expect(ready.messages.map((x: Message) => x.text)).toEqual(["", "", "bom dia", "tudo certo?"]);
    expect(await summary(room, "bruno")).toMatchObject({ unread: 1 });
    await room.message(bruno, { type: "gallery.fetch", kind: "documents" });
    expect(
      bruno
        .frames()
        .at(-1)
        .items.map((x: Message) => x.seq),
    ).toEqual([3]);
    // The old clientId is still known: a resend is acknowledged, not stored again.
    const ana = await room.connect(who("ana"));
    await room.message(ana, { type: "message.send", clientId: "c-3-0000000", text: "bom dia" });
    expect(ana.frames().at(-1)).toMatchObject({ type: "message.ack", message: { seq: 3 } });
    expect([...legacy.keys()]).toEqual(["__ps_name"]);
  });
});
