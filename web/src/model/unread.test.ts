import { describe, expect, it } from "vitest";
import { badgeText, pageTitle, rowTimeLabel, totalUnread } from "./unread";

const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const NOW = at(2026, 3, 10, 15, 0);

describe("unread totals and labels", () => {
  it("R7: the badge total is the sum of every chat's unread count, zero when all are read", () => {
    const list = [
      { unread: 2, lastUnreadAt: NOW, lastMessage: { createdAt: NOW } },
      { unread: 0, lastUnreadAt: null, lastMessage: { createdAt: NOW } },
      { unread: 5, lastUnreadAt: NOW, lastMessage: { createdAt: NOW } },
    ];
    expect(totalUnread(list)).toBe(7);
    expect(totalUnread(list.map((c) => ({ ...c, unread: 0 })))).toBe(0);
    expect(totalUnread([])).toBe(0);
    // Summaries from before unread counts existed carry none.
    expect(totalUnread([{ lastMessage: null }])).toBe(0);
  });

  it("R20: the page title carries the total only while something is unread", () => {
    expect(pageTitle(3, "Conversas")).toBe("(3) Conversas");
    expect(pageTitle(0, "Conversas")).toBe("Conversas");
    expect(badgeText(7)).toBe("7");
    expect(badgeText(100)).toBe("99+");
  });

  it("R20: an unread chat shows its newest unread message's time today, and before that the same 'Ontem' or date as read chats (issue 17)", () => {
    const today = { unread: 1, lastUnreadAt: at(2026, 3, 10, 9, 5), lastMessage: { createdAt: at(2026, 3, 10, 14, 0) } };
    expect(rowTimeLabel(today, NOW)).toBe("09:05");
    const yesterday = { unread: 1, lastUnreadAt: at(2026, 3, 9, 9, 5), lastMessage: { createdAt: at(2026, 3, 10, 14, 0) } };
    expect(rowTimeLabel(yesterday, NOW)).toBe("Ontem");
    const before = { unread: 1, lastUnreadAt: at(2026, 3, 2, 9, 5), lastMessage: { createdAt: at(2026, 3, 10, 14, 0) } };
    expect(rowTimeLabel(before, NOW)).toBe("02/03/2026");
    // A read chat and an unread one from the same day say the same.
    const read = { unread: 0, lastUnreadAt: null, lastMessage: { createdAt: at(2026, 3, 9, 18, 0) } };
    expect(rowTimeLabel(read, NOW)).toBe(rowTimeLabel(yesterday, NOW));
  });

  it("R6: a read chat keeps the list's label of its last message (time, 'Ontem' or date)", () => {
    expect(rowTimeLabel({ unread: 0, lastUnreadAt: null, lastMessage: { createdAt: at(2026, 3, 10, 14, 30) } }, NOW)).toBe("14:30");
    expect(rowTimeLabel({ unread: 0, lastUnreadAt: null, lastMessage: { createdAt: at(2026, 3, 9, 14, 30) } }, NOW)).toBe("Ontem");
    expect(rowTimeLabel({ unread: 0, lastUnreadAt: null, lastMessage: null }, NOW)).toBe("");
  });
});
