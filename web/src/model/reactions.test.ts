import { describe, expect, it } from "vitest";
import { QUICK_REACTIONS, reactionChips, reactorsLabel } from "./reaction-chips";
import { settleReactions, toggleWish, withPendingReactions } from "./reactions";

const names: Record<string, string> = { ana: "Ana", bruno: "Bruno", carla: "Carla", dani: "Dani" };
const nameOf = (id: string) => names[id] ?? id;

describe("reactions", () => {
  it('issue 17.5: who reacted — "Você e mais 2", "Ana e Bruno"', () => {
    expect(reactorsLabel(["bruno", "ana", "carla"], "ana", nameOf)).toBe("Você e mais 2");
    expect(reactorsLabel(["ana"], "ana", nameOf)).toBe("Você");
    expect(reactorsLabel(["bruno", "ana"], "ana", nameOf)).toBe("Você e Bruno");
    expect(reactorsLabel(["bruno", "carla"], "ana", nameOf)).toBe("Bruno e Carla");
    expect(reactorsLabel(["bruno", "carla", "dani"], "ana", nameOf)).toBe("Bruno e mais 2");
  });

  it("issue 17.5: one chip per emoji in the order first used, with its count and whether one is among them", () => {
    expect(reactionChips({ "👍": ["bruno", "ana"], "😂": ["carla"] }, "ana", nameOf)).toEqual([
      { emoji: "👍", count: 2, mine: true, who: "Você e Bruno" },
      { emoji: "😂", count: 1, mine: false, who: "Carla" },
    ]);
    expect(reactionChips(undefined, "ana", nameOf)).toEqual([]);
  });

  it("issue 17.5: the quick emojis are single emojis the room accepts", () => {
    const seg = new Intl.Segmenter("pt", { granularity: "grapheme" });
    for (const e of QUICK_REACTIONS) {
      expect(/^\p{Extended_Pictographic}/u.test(e)).toBe(true);
      expect([...seg.segment(e)]).toHaveLength(1);
    }
  });

  it("issue 17.5: a click toggles at once (optimistic) and the room's copy settles it; clicking again takes it back", () => {
    const shown = { "👍": ["bruno"] };
    let pending = toggleWish(new Map(), shown, 3, "👍", "ana");
    expect(withPendingReactions(shown, pending, 3, "ana")).toEqual({ "👍": ["bruno", "ana"] });
    expect(withPendingReactions(shown, pending, 4, "ana")).toBe(shown);
    // The room's copy without it yet settles nothing; with it, the wish is done.
    expect(settleReactions(pending, { seq: 3, reactions: shown }, "ana")).toBe(pending);
    pending = settleReactions(pending, { seq: 3, reactions: { "👍": ["bruno", "ana"] } }, "ana");
    expect(pending.size).toBe(0);
    // Clicking one's own reaction again takes it off; the last one takes the chip away.
    const mine = { "❤️": ["ana"] };
    pending = toggleWish(pending, mine, 3, "❤️", "ana");
    expect(withPendingReactions(mine, pending, 3, "ana")).toEqual({});
  });
});
