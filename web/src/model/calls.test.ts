import { describe, expect, it } from "vitest";
import type { CallFilter, CallHistoryEntry } from "../../../protocol/calls";
import { appendPage, durationLabel, iconTone, matches, mergeLive, newestFirst, whenLabel } from "./calls";

const NAMES: Record<string, string> = { ana: "Ana Souza", bruno: "Bruno Lima", joao: "João Pereira" };
const nameOf = (id: string) => NAMES[id];

function entry(i: number, over: Partial<CallHistoryEntry> = {}): CallHistoryEntry {
  return {
    callId: `c${i}`,
    direction: "inbound",
    status: "answered",
    answered: true,
    other: { userId: "ana", number: "2001" },
    startedAt: i * 1000,
    endedAt: i * 1000 + 500,
    durationMs: 400,
    endReason: "caller-hangup",
    ...over,
  };
}

describe("call history on the client (R27, R28)", () => {
  it("R27: a live entry joins the list only when it passes the filter and search shown", () => {
    const missed = entry(5, { status: "missed", answered: false, durationMs: 0 });
    expect(mergeLive([entry(1)], missed, "answered", "", nameOf)).toHaveLength(1);
    const older = entry(1, { status: "missed", answered: false, durationMs: 0 });
    expect(mergeLive([older], missed, "missed", "", nameOf).map((e) => e.callId)).toEqual(["c5", "c1"]);
    expect(mergeLive([missed, older], missed, "missed", "", nameOf)).toHaveLength(2);
    expect(mergeLive([], entry(2, { other: { userId: "joao", number: "2004" } }), "all", "joao", nameOf)).toHaveLength(1);
    expect(mergeLive([], entry(2), "all", "joao", nameOf)).toHaveLength(0);
  });

  it("R27: randomized — live updates and pages in any order equal a recomputation from the raw entries", () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const filters: CallFilter[] = ["all", "answered", "initiated", "missed"];
    const people = [
      { userId: "ana", number: "2001" },
      { userId: "bruno", number: "2002" },
      { userId: null, number: "11999990000" },
    ];
    for (let run = 0; run < 200; run++) {
      const raw: CallHistoryEntry[] = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 25); i++) {
        const status = (["answered", "initiated", "missed"] as const)[Math.floor(rnd() * 3)]!;
        const answered = status === "answered" || (status === "initiated" && rnd() < 0.5);
        raw.push(
          entry(i, {
            status,
            answered,
            direction: status === "initiated" ? "outbound" : "inbound",
            other: people[Math.floor(rnd() * people.length)]!,
            endedAt: Math.floor(rnd() * 50) * 1000,
          }),
        );
      }
      const filter = filters[Math.floor(rnd() * filters.length)]!;
      const query = ["", "bru", "2001", "999", "an"][Math.floor(rnd() * 5)]!;
      let list: CallHistoryEntry[] = [];
      for (const e of raw) {
        // Some arrive twice (a page and then the live push of the same call).
        list =
          rnd() < 0.3
            ? appendPage(
                list,
                [e].filter((x) => matches(x, filter, query, nameOf)),
              )
            : mergeLive(list, e, filter, query, nameOf);
        if (rnd() < 0.2) list = mergeLive(list, e, filter, query, nameOf);
      }
      const expected = raw.filter((e) => matches(e, filter, query, nameOf)).sort(newestFirst);
      expect(list.map((e) => e.callId)).toEqual(expected.map((e) => e.callId));
    }
  });

  it("R28: outbound calls are grey when answered and red when not; missed are red", () => {
    expect(iconTone({ status: "initiated", answered: true })).toBe("grey");
    expect(iconTone({ status: "initiated", answered: false })).toBe("red");
    expect(iconTone({ status: "missed", answered: false })).toBe("red");
    expect(iconTone({ status: "answered", answered: true })).toBe("green");
  });

  it("R27: the date reads 'Hoje'/'Ontem' and the duration is shown only for answered calls", () => {
    const now = new Date(2026, 10, 25, 12, 0).getTime();
    expect(whenLabel(new Date(2026, 10, 25, 9, 5).getTime(), now)).toBe("Hoje 09:05");
    expect(whenLabel(new Date(2026, 10, 24, 23, 0).getTime(), now)).toBe("Ontem 23:00");
    expect(durationLabel({ answered: true, durationMs: 125_000 })).toBe("2 min 05 s");
    expect(durationLabel({ answered: true, durationMs: 9_000 })).toBe("9 s");
    expect(durationLabel({ answered: false, durationMs: 0 })).toBe("");
  });
});
