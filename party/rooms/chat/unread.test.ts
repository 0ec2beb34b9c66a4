/** R6/R20 unread counts and R12 message search, read off the log. */
import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol";
import type { SystemEvent } from "../../protocol/groups";
import { ChatIndex } from "./chat-index";
import { matchScore, mergePage, queryTerms } from "./search";

const msg = (seq: number, senderId: string, text: string, extra: Partial<Message> = {}): Message => ({
  id: `g:${seq}`,
  seq,
  chatId: "g",
  clientId: `c${seq}`,
  senderId,
  text,
  createdAt: 1000 + seq,
  ...extra,
});
const sys = (seq: number, e: SystemEvent): Message => msg(seq, "actor" in e && e.actor ? e.actor : "room", "", { system: e });

/** A tiny seeded PRNG so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("unread counts", () => {
  it("count others' messages after the cursor, not one's own, deleted ones or group notices", () => {
    const ix = new ChatIndex();
    ix.add(msg(1, "ana", "oi"));
    ix.add(msg(2, "ana", "tudo bem?"));
    ix.add(sys(3, { kind: "renamed", actor: "ana", name: "X" }));
    expect(ix.unread("bruno", 0)).toEqual({ unread: 2, lastUnreadAt: 1002 });
    expect(ix.unread("bruno", 1)).toEqual({ unread: 1, lastUnreadAt: 1002 });
    expect(ix.unread("ana", 0)).toEqual({ unread: 0, lastUnreadAt: null });
    ix.delete(2);
    expect(ix.unread("bruno", 1)).toEqual({ unread: 0, lastUnreadAt: null });
    expect(ix.unread("bruno", 0)).toEqual({ unread: 1, lastUnreadAt: 1001 });
  });

  it("writing reads what came before: one's own last message moves the start of the unread", () => {
    const ix = new ChatIndex();
    ix.add(msg(1, "ana", "oi"));
    ix.add(msg(2, "bruno", "olá"));
    expect(ix.unread("bruno", 0)).toEqual({ unread: 0, lastUnreadAt: null });
    ix.add(msg(3, "ana", "sim"));
    expect(ix.unread("bruno", 0)).toEqual({ unread: 1, lastUnreadAt: 1003 });
    ix.delete(2);
    expect(ix.unread("bruno", 0).unread).toBe(1);
  });

  it("a member added to a group starts with nothing unread, also when re-added", () => {
    const ix = new ChatIndex();
    ix.add(sys(1, { kind: "created", actor: "ana", name: "G" }));
    ix.add(sys(2, { kind: "added", actor: "ana", targets: ["bruno"] }));
    ix.add(msg(3, "ana", "antes"));
    ix.add(sys(4, { kind: "added", actor: "ana", targets: ["carla"] }));
    ix.add(msg(5, "ana", "depois"));
    expect(ix.unread("bruno", 0).unread).toBe(2);
    expect(ix.unread("carla", 0).unread).toBe(1);
    ix.add(sys(6, { kind: "removed", actor: "ana", target: "carla" }));
    ix.add(msg(7, "ana", "fora"));
    ix.add(sys(8, { kind: "added", actor: "ana", targets: ["carla"] }));
    expect(ix.unread("carla", 0).unread).toBe(0);
  });

  it("never drifts: random sends, deletes, reads, leaves and re-adds agree with a recomputation from the log", () => {
    const people = ["ana", "bruno", "carla", "davi"];
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const log: Message[] = [];
      const cursors = new Map<string, number>();
      const members = new Set(["ana", "bruno"]);
      const ix = new ChatIndex();
      const append = (m: Message) => {
        log.push(m);
        ix.add(m);
      };
      append(sys(1, { kind: "created", actor: "ana", name: "G" }));
      append(sys(2, { kind: "added", actor: "ana", targets: ["bruno"] }));
      for (let step = 0; step < 300; step++) {
        const seq = log.length + 1;
        const r = rnd();
        const who = pick([...members]);
        if (r < 0.45) {
          append(msg(seq, who, `m${seq}`));
        } else if (r < 0.6) {
          const own = log.filter((m) => m.senderId === who && !m.system && !m.deleted);
          if (own.length) {
            const m = pick(own);
            m.deleted = true;
            ix.delete(m.seq);
          }
        } else if (r < 0.85) {
          // Two devices may read at once: the cursor only moves forward.
          const upTo = Math.floor(rnd() * (log.length + 1));
          cursors.set(who, Math.max(cursors.get(who) ?? 0, upTo));
        } else if (r < 0.93 && members.size > 1) {
          members.delete(who);
          append(sys(seq, { kind: "left", actor: who }));
        } else {
          const out = people.filter((p) => !members.has(p));
          if (out.length) {
            const p = pick(out);
            members.add(p);
            append(sys(seq, { kind: "added", actor: who, targets: [p] }));
          }
        }
        for (const p of members) {
          const joinedAt = Math.max(
            0,
            ...log
              .filter(
                (m) =>
                  (m.system?.kind === "added" && m.system.targets.includes(p)) || (m.system?.kind === "created" && m.system.actor === p),
              )
              .map((m) => m.seq),
          );
          // Sending means looking at the chat: one's own last message (even deleted) reads everything before it.
          const lastSent = Math.max(0, ...log.filter((m) => !m.system && m.senderId === p).map((m) => m.seq));
          const from = Math.max(cursors.get(p) ?? 0, joinedAt, lastSent);
          const unreadMsgs = log.filter((m) => m.seq > from && !m.system && !m.deleted && m.senderId !== p);
          expect(ix.unread(p, cursors.get(p) ?? 0), `seed ${seed} step ${step} ${p}`).toEqual({
            unread: unreadMsgs.length,
            lastUnreadAt: unreadMsgs.at(-1)?.createdAt ?? null,
          });
        }
      }
    }
  });
});

describe("message search", () => {
  it("ignores case and accents, needs every word, and ranks word starts above the middle of words", () => {
    expect(matchScore("relatorio mensal", queryTerms("RELATÓRIO"))).toBe(2);
    expect(matchScore("relatorio mensal", queryTerms("lat"))).toBe(1);
    expect(matchScore("relatorio mensal", queryTerms("rel men"))).toBe(4);
    expect(matchScore("relatorio mensal", queryTerms("rel anual"))).toBe(0);
    expect(matchScore("o co-piloto", queryTerms("pilo"))).toBe(2);
  });

  it("finds captions, file names and share cards, never deleted messages; best then newest", () => {
    const ix = new ChatIndex();
    ix.add(msg(1, "ana", "Relatório de março"));
    ix.add(
      msg(2, "ana", "", {
        attachment: { fileId: "f1234567", name: "relatorio-abril.pdf", size: 1, contentType: "application/pdf", kind: "document" },
      }),
    );
    ix.add(msg(3, "bruno", "correlato"));
    ix.add(msg(4, "bruno", "relatório apagado"));
    ix.delete(4);
    ix.add(
      msg(5, "ana", "", {
        share: {
          shareId: "s1",
          protocol: "2026-0042",
          channel: "whatsapp",
          customer: { name: "Maria Conceição" },
          startedAt: "2026-11-25T10:00:00Z",
          lastLines: [],
          lineCount: 0,
        },
      }),
    );
    expect(ix.search("relat", 10).map((h) => h.seq)).toEqual([2, 1, 3]);
    expect(ix.search("relat", 1).map((h) => h.seq)).toEqual([2]);
    expect(ix.search("conceicao", 10).map((h) => h.seq)).toEqual([5]);
    expect(ix.search("0042", 10).map((h) => h.seq)).toEqual([5]);
  });

  it("merges chats into stable pages", () => {
    const hit = (chatId: string, seq: number, score: number, createdAt: number) => ({
      chatId,
      seq,
      senderId: "a",
      text: "",
      createdAt,
      score,
    });
    const lists = [
      [hit("a", 3, 2, 30), hit("a", 1, 1, 10)],
      [hit("b", 9, 2, 40), hit("b", 2, 1, 20)],
    ];
    expect(mergePage(lists, 0, 2)).toEqual({ hits: [lists[1]![0], lists[0]![0]], hasMore: true });
    expect(mergePage(lists, 2, 2)).toEqual({ hits: [lists[1]![1], lists[0]![1]], hasMore: false });
  });
});
