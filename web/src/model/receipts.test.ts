import { describe, expect, it } from "vitest";
import { advanceCursors, infoLists, receiptOf, recipientsOf, type Cursors } from "./receipts";

const dm = (read: Record<string, number>, delivered: Record<string, number> = {}): Cursors => ({
  members: ["ana", "bruno"],
  group: null,
  read,
  delivered,
});
const mine = { seq: 5, senderId: "ana", createdAt: 1_000 };

describe("read receipts", () => {
  it("issue 17.1: ✓ Enviada when stored, ✓✓ Entregue once on the other's device, Lida once they read past it", () => {
    expect(receiptOf(mine, dm({ ana: 5 }))).toBe("sent");
    expect(receiptOf(mine, dm({ ana: 5 }, { bruno: 4 }))).toBe("sent");
    expect(receiptOf(mine, dm({ ana: 5 }, { bruno: 5 }))).toBe("delivered");
    expect(receiptOf(mine, dm({ ana: 5, bruno: 7 }, { bruno: 5 }))).toBe("read");
  });

  it("issue 17.1: what was read counts as delivered even without a delivery cursor", () => {
    expect(receiptOf(mine, dm({ bruno: 9 }))).toBe("read");
  });

  it("issue 17.1: in a group, Lida only when every other member read it, Entregue when every one has it", () => {
    const group = (read: Record<string, number>, delivered: Record<string, number>): Cursors => ({
      members: ["ana", "bruno", "carla"],
      group: [
        { userId: "ana", role: "admin", since: 0 },
        { userId: "bruno", role: "member", since: 0 },
        { userId: "carla", role: "member", since: 0 },
      ],
      read,
      delivered,
    });
    expect(receiptOf(mine, group({ bruno: 5 }, {}))).toBe("sent");
    expect(receiptOf(mine, group({ bruno: 5 }, { carla: 5 }))).toBe("delivered");
    expect(receiptOf(mine, group({ bruno: 5, carla: 6 }, {}))).toBe("read");
  });

  it("issue 17.1: a member added after the message does not hold its receipt back", () => {
    const c: Cursors = {
      members: ["ana", "bruno", "dani"],
      group: [
        { userId: "ana", role: "admin", since: 0 },
        { userId: "bruno", role: "member", since: 0 },
        { userId: "dani", role: "member", since: 2_000 },
      ],
      read: { bruno: 5 },
      delivered: {},
    };
    expect(recipientsOf(mine, c)).toEqual(["bruno"]);
    expect(receiptOf(mine, c)).toBe("read");
  });

  it("issue 17.1: cursors only move forward; an unchanged map stays the same object", () => {
    const now = { ana: 4, bruno: 7 };
    expect(advanceCursors(now, { bruno: 6 })).toBe(now);
    expect(advanceCursors(now, { bruno: 8, carla: 1 })).toEqual({ ana: 4, bruno: 8, carla: 1 });
  });

  it('issue 17.1: "Informações da mensagem" lists readers under "Lida por" and the rest who have it under "Entregue a", newest first, never the sender', () => {
    const lists = infoLists(
      {
        readBy: [
          { userId: "ana", at: 50 },
          { userId: "bruno", at: 20 },
          { userId: "carla", at: 30 },
        ],
        deliveredTo: [
          { userId: "bruno", at: 10 },
          { userId: "carla", at: 12 },
          { userId: "dani", at: 15 },
          { userId: "edu", at: 18 },
        ],
      },
      "ana",
    );
    expect(lists.readBy).toEqual([
      { userId: "carla", at: 30 },
      { userId: "bruno", at: 20 },
    ]);
    expect(lists.deliveredTo).toEqual([
      { userId: "edu", at: 18 },
      { userId: "dani", at: 15 },
    ]);
  });
});
