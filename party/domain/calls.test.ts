/**
 * Call history rules: statuses per party, filters and search (R27, R28), and
 * frequent contacts (R25) checked against a from-scratch recomputation on
 * random call histories.
 */
import { describe, expect, it } from "vitest";
import type { CallHistoryEntry, CallRecord } from "../../protocol";
import { FREQUENT_HALF_LIFE_MS, FREQUENT_WINDOW_MS, frequentContacts, historyEntry, matches, recordRefusal } from "./calls";

const DAY = 24 * 3600 * 1000;
const NOW = 1_800_000_000_000;

function rec(over: Partial<CallRecord> = {}): CallRecord {
  return {
    callId: "c1",
    tenant: "demo",
    caller: { userId: "ana", number: "2001" },
    callee: { userId: "bruno", number: "2002" },
    parties: [
      { userId: "ana", direction: "outbound" },
      { userId: "bruno", direction: "inbound" },
    ],
    answered: true,
    startedAt: NOW - 60_000,
    answeredAt: NOW - 50_000,
    endedAt: NOW,
    endReason: "caller-hangup",
    ...over,
  };
}

const names: Record<string, string> = { ana: "Ana Souza", bruno: "Bruno Lima", joao: "João Pereira" };
const nameOf = (id: string) => names[id];

describe("call history entries", () => {
  it("R27: an answered call is Iniciadas for the caller and Atendidas for the callee, with its duration", () => {
    expect(historyEntry(rec(), "ana")).toMatchObject({
      direction: "outbound",
      status: "initiated",
      other: { userId: "bruno" },
      durationMs: 50_000,
    });
    expect(historyEntry(rec(), "bruno")).toMatchObject({
      direction: "inbound",
      status: "answered",
      other: { userId: "ana", number: "2001" },
    });
  });

  it("R27: an unanswered call is still Iniciadas for the caller and Perdidas for the callee, with no duration", () => {
    const r = rec({ answered: false, answeredAt: null, endReason: "cancelled" });
    expect(historyEntry(r, "ana")).toMatchObject({ status: "initiated", answered: false, durationMs: 0 });
    expect(historyEntry(r, "bruno")).toMatchObject({ status: "missed", answered: false, durationMs: 0 });
  });

  it("R27: a call from the PBX shows the outside number as the other side", () => {
    const r = rec({ caller: { userId: null, number: "+5511999990000" }, parties: [{ userId: "bruno", direction: "inbound" }] });
    expect(historyEntry(r, "bruno")?.other).toEqual({ userId: null, number: "+5511999990000" });
    expect(historyEntry(r, "ana")).toBeNull();
  });

  it("R27: a room refuses a record of another tenant, of a call its user took no part in, or with impossible times", () => {
    expect(recordRefusal(rec(), "demo", "ana")).toBeNull();
    expect(recordRefusal(rec(), "other", "ana")).toBe("tenant");
    expect(recordRefusal(rec(), "demo", "carla")).toBe("parties");
    expect(recordRefusal(rec({ endedAt: NOW - 70_000 }), "demo", "ana")).toBe("endedAt");
    expect(recordRefusal(rec({ answered: false }), "demo", "ana")).toBe("answered");
  });
});

describe("history filters and search", () => {
  const missed = historyEntry(rec({ answered: false, answeredAt: null }), "bruno")!;
  const outside = historyEntry(rec({ callee: { userId: null, number: "+551130001234" } }), "ana")!;

  it("R28: the status selector keeps only entries of that status; Todas keeps all", () => {
    expect(matches(missed, "missed", "", nameOf)).toBe(true);
    expect(matches(missed, "answered", "", nameOf)).toBe(false);
    expect(matches(missed, "initiated", "", nameOf)).toBe(false);
    expect(matches(missed, "all", "", nameOf)).toBe(true);
  });

  it("R28: search finds a name without accents or case, and a number by its digits", () => {
    expect(matches(missed, "all", "ANA s", nameOf)).toBe(true);
    expect(matches(missed, "all", "bruno", nameOf)).toBe(false);
    expect(matches(outside, "all", "3000", nameOf)).toBe(true);
    expect(matches(outside, "all", "4000", nameOf)).toBe(false);
    const joao = historyEntry(rec({ caller: { userId: "joao", number: "2004" } }), "bruno")!;
    expect(matches(joao, "all", "joao", nameOf)).toBe(true);
  });

  it("R21: a name search needs 3 characters", () => {
    expect(matches(missed, "all", "an", nameOf)).toBe(false);
    expect(matches(missed, "all", "ana", nameOf)).toBe(true);
  });
});

/** The rule written the slow, obvious way: per contact, sum the weights of its calls in the window. */
function naiveFrequent(entries: CallHistoryEntry[], now: number, max: number) {
  const keyOf = (e: CallHistoryEntry) => (e.other.userId ? `u:${e.other.userId}` : `n:${e.other.number}`);
  const keys = [...new Set(entries.map(keyOf))];
  const rows = keys.map((key) => {
    const mine = entries.filter((e) => keyOf(e) === key && now - e.endedAt >= 0 && now - e.endedAt <= FREQUENT_WINDOW_MS);
    let score = 0;
    for (const e of mine) score += Math.pow(0.5, (now - e.endedAt) / FREQUENT_HALF_LIFE_MS);
    const last = mine.reduce<CallHistoryEntry | null>((a, e) => (!a || e.endedAt >= a.endedAt ? e : a), null);
    return {
      key,
      score,
      calls: mine.length,
      lastAt: last?.endedAt ?? 0,
      userId: last?.other.userId ?? null,
      number: last?.other.number ?? "",
    };
  });
  return rows
    .filter((r) => r.calls > 0)
    .sort((a, b) => b.score - a.score || b.lastAt - a.lastAt || (a.key < b.key ? -1 : 1))
    .slice(0, max)
    .map(({ userId, number, calls, lastAt }) => ({ userId, number, calls, lastAt }));
}

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("frequent contacts", () => {
  it("R25: counts only the last 30 days, most calls first", () => {
    const e = (other: string, daysAgo: number, i: number) =>
      historyEntry(
        rec({ callId: `c${i}`, callee: { userId: other, number: "x" }, endedAt: NOW - daysAgo * DAY, startedAt: 0, answeredAt: 0 }),
        "ana",
      )!;
    const list = [e("bruno", 1, 1), e("bruno", 2, 2), e("joao", 1, 3), e("carla", 40, 4), e("carla", 41, 5), e("carla", 42, 6)];
    expect(frequentContacts(list, NOW).map((c) => [c.userId, c.calls])).toEqual([
      ["bruno", 2],
      ["joao", 1],
    ]);
  });

  it("R25: recent calls weigh more: three calls this week beat four calls three weeks ago", () => {
    const e = (other: string, daysAgo: number, i: number) =>
      historyEntry(
        rec({ callId: `c${i}`, callee: { userId: other, number: "x" }, endedAt: NOW - daysAgo * DAY, startedAt: 0, answeredAt: 0 }),
        "ana",
      )!;
    const list = [e("old", 21, 1), e("old", 21, 2), e("old", 22, 3), e("old", 22, 4), e("new", 1, 5), e("new", 2, 6), e("new", 3, 7)];
    expect(frequentContacts(list, NOW).map((c) => c.userId)).toEqual(["new", "old"]);
  });

  it("R25: on random histories the derivation equals a from-scratch recomputation", () => {
    const rand = rng(42);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rand() * 60);
      const entries: CallHistoryEntry[] = [];
      for (let i = 0; i < n; i++) {
        const who = Math.floor(rand() * 12);
        const other = who < 6 ? { userId: `u${who}`, number: `20${who}` } : { userId: null, number: `+55119${who}` };
        const out = rand() < 0.5;
        const r = rec({
          callId: `r${round}-${i}`,
          caller: out ? { userId: "ana", number: "2001" } : other,
          callee: out ? other : { userId: "ana", number: "2001" },
          parties: [{ userId: "ana", direction: out ? "outbound" : "inbound" }],
          endedAt: NOW - Math.floor(rand() * 45 * DAY) + (rand() < 0.05 ? DAY : 0),
          startedAt: 0,
          answeredAt: rand() < 0.5 ? 0 : null,
        });
        r.answered = r.answeredAt !== null;
        entries.push(historyEntry(r, "ana")!);
      }
      const max = 1 + Math.floor(rand() * 10);
      expect(frequentContacts(entries, NOW, max)).toEqual(naiveFrequent(entries, NOW, max));
    }
  });
});
