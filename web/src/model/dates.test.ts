import { describe, expect, it } from "vitest";
import { dayKey, dayLabel, daysAgo, listTimeLabel } from "./dates";

// Built with the local-time constructor so the tests hold in any time zone.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const now = at(2025, 3, 10, 9, 15);

describe("date labels", () => {
  it('R8: a message from earlier today is under "Hoje", one from late yesterday under "Ontem"', () => {
    expect(dayLabel(at(2025, 3, 10, 0, 1), now)).toBe("Hoje");
    expect(dayLabel(at(2025, 3, 9, 23, 59), now)).toBe("Ontem");
  });

  it("R8: older days are shown as dd/mm/aaaa", () => {
    expect(dayLabel(at(2025, 3, 8, 10), now)).toBe("08/03/2025");
    expect(dayLabel(at(2024, 12, 31, 10), now)).toBe("31/12/2024");
  });

  it('R6: the list shows today\'s messages by time (HH:mm), then "Ontem", then the date', () => {
    expect(listTimeLabel(at(2025, 3, 10, 8, 5), now)).toBe("08:05");
    expect(listTimeLabel(at(2025, 3, 9, 8, 5), now)).toBe("Ontem");
    expect(listTimeLabel(at(2025, 2, 28, 8, 5), now)).toBe("28/02/2025");
  });

  it("counts calendar days, not 24-hour spans", () => {
    expect(daysAgo(at(2025, 3, 9, 23, 59), at(2025, 3, 10, 0, 1))).toBe(1);
    expect(daysAgo(at(2025, 3, 10, 0, 0), at(2025, 3, 10, 23, 59))).toBe(0);
    expect(dayKey(at(2025, 3, 10, 0, 0))).toBe(dayKey(at(2025, 3, 10, 23, 59)));
    expect(dayKey(at(2025, 3, 10, 0, 0))).not.toBe(dayKey(at(2025, 3, 9, 23, 59)));
  });
});
