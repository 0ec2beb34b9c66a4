/**
 * R5 wiring of a user's presence in their room, with fake timers and a recorded
 * host (the real-socket behaviour is in test/integration/alive.test.ts): silent
 * tabs are asked before they are dropped, and an on-line user is confirmed to the
 * directory every minute.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PRESENCE_PING_MS } from "../../protocol";
import { PRESENCE_GRACE_MS } from "../domain/presence";
import type { RoomHost, Socket } from "./host";
import { userPresence } from "./user-presence";

function recordingHost() {
  const announced: { online: boolean; at: number }[] = [];
  const host = {
    id: "acme.ana",
    call: async (_party: string, _room: string, _path: string, init?: RequestInit) => {
      announced.push(JSON.parse(String(init?.body)));
      return new Response("{}", { status: 200 });
    },
    waitUntil: () => {},
  } as unknown as RoomHost;
  return { host, announced };
}

function socket(id: string) {
  const sent: string[] = [];
  let closedWith: number | null = null;
  const s = {
    id,
    identity: { userId: "ana", tenant: "acme", sessionVersion: 1 },
    admitted: true,
    send: (d: string) => sent.push(d),
    close: (code: number) => (closedWith = code),
  } as unknown as Socket;
  return { s, sent, closed: () => closedWith };
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe("R5 presence in the user's room", () => {
  it("asks a silent tab, then closes it after three silent intervals and goes off-line after the grace", async () => {
    const { host, announced } = recordingHost();
    const presence = userPresence(host, "acme", "ana");
    const tab = socket("t1");
    presence.connected(tab.s);
    await vi.advanceTimersByTimeAsync(PRESENCE_PING_MS);
    expect(tab.sent).toContain(JSON.stringify({ type: "presence.check" }));
    expect(tab.closed()).toBeNull();
    await vi.advanceTimersByTimeAsync(3 * PRESENCE_PING_MS);
    expect(tab.closed()).toBe(4000);
    // On-line all along (confirmed once more at the minute); off-line only after the grace.
    expect(announced.every((a) => a.online)).toBe(true);
    await vi.advanceTimersByTimeAsync(PRESENCE_GRACE_MS);
    expect(announced.at(-1)).toMatchObject({ online: false });
  });

  it("a tab that answers stays, and the directory hears 'on-line' again every minute", async () => {
    const { host, announced } = recordingHost();
    const presence = userPresence(host, "acme", "ana");
    const tab = socket("t1");
    presence.connected(tab.s);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(PRESENCE_PING_MS);
      presence.heard(tab.s);
    }
    expect(tab.closed()).toBeNull();
    // 200 s on-line: the first announcement and three refreshes, all with the same stamp.
    expect(announced.length).toBeGreaterThanOrEqual(3);
    expect(new Set(announced.map((a) => `${a.online}:${a.at}`)).size).toBe(1);
    presence.leaving(tab.s);
    presence.closed(tab.s);
    await vi.advanceTimersByTimeAsync(1000);
    expect(announced.at(-1)).toMatchObject({ online: false });
  });
});
