/** R5: presence from connections — tabs count as one, a blip is not off-line. */
import { describe, expect, it } from "vitest";
import { connected, disconnected, initialPresence, PRESENCE_GRACE_MS, PresenceBoard, tick, type Presence } from "./presence";

describe("R5 presence", () => {
  it("the first connection announces on-line; more tabs announce nothing", () => {
    let p: Presence = initialPresence(0);
    const first = connected(p, 10);
    expect(first.announce).toBe("online");
    p = first.presence;
    const second = connected(p, 20);
    expect(second.announce).toBeNull();
    expect(second.presence.sockets).toBe(2);
  });

  it("closing one of two tabs keeps the user on-line", () => {
    let p = connected(connected(initialPresence(0), 1).presence, 2).presence;
    const step = disconnected(p, 3);
    expect(step.announce).toBeNull();
    expect(step.wakeAt).toBeNull();
    p = step.presence;
    expect(p.online).toBe(true);
  });

  it("the last tab closing goes off-line only after the grace period", () => {
    let p = connected(initialPresence(0), 0).presence;
    const gone = disconnected(p, 1000);
    expect(gone.announce).toBeNull();
    expect(gone.wakeAt).toBe(1000 + PRESENCE_GRACE_MS);
    p = gone.presence;
    expect(tick(p, 1000 + PRESENCE_GRACE_MS - 1).announce).toBeNull();
    const later = tick(p, 1000 + PRESENCE_GRACE_MS);
    expect(later.announce).toBe("offline");
    expect(later.presence.online).toBe(false);
  });

  it("a blip (reconnect within the grace period) never announces off-line", () => {
    let p = connected(initialPresence(0), 0).presence;
    p = disconnected(p, 1000).presence;
    const back = connected(p, 2000);
    expect(back.announce).toBeNull();
    p = back.presence;
    expect(tick(p, 1000 + PRESENCE_GRACE_MS + 1).announce).toBeNull();
    expect(p.online).toBe(true);
  });
});

describe("R5 the company's presence board", () => {
  it("fans out only changes, and a late announcement cannot undo a newer one", () => {
    const board = new PresenceBoard(150_000);
    expect(board.announce("ana", true, 10, 10)).toEqual({ userId: "ana", online: true });
    expect(board.announce("ana", true, 10, 20)).toBeNull();
    expect(board.announce("ana", false, 30, 30)).toEqual({ userId: "ana", online: false });
    expect(board.announce("ana", true, 10, 40)).toBeNull();
    expect(board.online()).toEqual([]);
  });

  it("an on-line state that is not confirmed lapses; a later confirmation brings it back", () => {
    const board = new PresenceBoard(150_000);
    board.announce("ana", true, 0, 0);
    board.announce("bruno", true, 0, 0);
    board.announce("bruno", true, 0, 60_000);
    expect(board.expire(149_999)).toEqual([]);
    expect(board.expire(150_000)).toEqual(["ana"]);
    expect(board.online()).toEqual(["bruno"]);
    expect(board.expire(210_000)).toEqual(["bruno"]);
    expect(board.anyOnline()).toBe(false);
    expect(board.announce("ana", true, 0, 220_000)).toEqual({ userId: "ana", online: true });
  });
});
