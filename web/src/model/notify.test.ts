import { describe, expect, it } from "vitest";
import type { ConversationSummary } from "../../../protocol/hub";
import { isNewMention, isNewWhileHidden, notificationText, offerPermission, shouldNotify, type NotifyCheck } from "./notify";

const dm = (seq: number, senderId: string, unread: number, extra: Partial<ConversationSummary> = {}): ConversationSummary =>
  ({
    chatId: "dm.ana.bruno",
    kind: "direct",
    peerId: "ana",
    lastMessage: { seq, senderId, text: `msg ${seq}`, createdAt: 1000 + seq },
    unread,
    lastUnreadAt: unread ? 1000 + seq : null,
    ...extra,
  }) as ConversationSummary;

const base: NotifyCheck = {
  before: dm(1, "ana", 1),
  after: dm(2, "ana", 2),
  myId: "bruno",
  hidden: true,
  openChatId: null,
  permission: "granted",
};

describe("browser notifications", () => {
  it("R20: a new message from someone else while the page is hidden notifies", () => {
    expect(shouldNotify(base)).toBe(true);
    expect(shouldNotify({ ...base, before: undefined })).toBe(true); // a first message in a new chat
  });

  it("R20: no notification while the page is visible, whichever chat is open", () => {
    expect(shouldNotify({ ...base, hidden: false })).toBe(false);
    expect(shouldNotify({ ...base, hidden: false, openChatId: "dm.ana.bruno" })).toBe(false);
  });

  it("R20: the open chat in a hidden tab is not being looked at: it notifies", () => {
    expect(shouldNotify({ ...base, openChatId: "dm.ana.bruno" })).toBe(true);
  });

  it("R20: never for the user's own message (sent from another tab or device)", () => {
    expect(shouldNotify({ ...base, after: dm(2, "bruno", 1) })).toBe(false);
  });

  it("R20: not when the count did not grow (a read elsewhere, the same message again, a deletion)", () => {
    expect(shouldNotify({ ...base, before: dm(2, "ana", 2), after: dm(2, "ana", 0) })).toBe(false);
    expect(shouldNotify({ ...base, before: dm(2, "ana", 2), after: dm(2, "ana", 2) })).toBe(false);
    expect(shouldNotify({ ...base, before: dm(1, "ana", 3), after: dm(2, "ana", 3) })).toBe(false);
    expect(
      shouldNotify({
        ...base,
        after: dm(2, "ana", 2, { lastMessage: { seq: 2, senderId: "ana", text: "", createdAt: 1, deleted: true } }),
      }),
    ).toBe(false);
  });

  it("R20: nothing without the permission", () => {
    for (const permission of ["default", "denied", "unsupported"] as const) expect(shouldNotify({ ...base, permission })).toBe(false);
  });

  it("R20: the permission is offered once: not after it was answered or dismissed", () => {
    expect(offerPermission("default", false)).toBe(true);
    expect(offerPermission("default", true)).toBe(false);
    expect(offerPermission("granted", false)).toBe(false);
    expect(offerPermission("denied", false)).toBe(false);
    expect(offerPermission("unsupported", false)).toBe(false);
  });

  it("R20: the text names the sender, or the group and the sender", () => {
    const name = (id: string) => ({ ana: "Ana Souza" })[id] ?? id;
    expect(notificationText(dm(2, "ana", 1), name)).toEqual({ title: "Ana Souza", body: "msg 2" });
    const group = {
      chatId: "g.abcdefghij012345",
      kind: "group",
      name: "Suporte",
      imageFileId: null,
      lastMessage: { seq: 3, senderId: "ana", text: "oi", createdAt: 1 },
      unread: 1,
      lastUnreadAt: 1,
    } as ConversationSummary;
    expect(notificationText(group, name)).toEqual({ title: "Suporte", body: "Ana Souza: oi" });
  });

  it("issue 17: the sound follows the same news without needing the notification permission", () => {
    expect(isNewWhileHidden({ ...base, permission: "denied" } as NotifyCheck)).toBe(true);
    expect(shouldNotify({ ...base, permission: "denied" })).toBe(false);
    expect(isNewWhileHidden({ ...base, hidden: false })).toBe(false);
    expect(isNewWhileHidden({ ...base, after: dm(2, "bruno", 2) })).toBe(false);
  });

  it("issue 17.6: a new mention notifies even while the page is visible, unless that chat is on screen; the text says so", () => {
    const group = (seq: number, mentioned: boolean): ConversationSummary =>
      ({
        chatId: "g.abcdefghij012345",
        kind: "group",
        name: "Suporte",
        imageFileId: null,
        lastMessage: { seq, senderId: "ana", text: "@Bruno Lima veja", createdAt: 1 },
        unread: seq,
        lastUnreadAt: 1,
        rev: seq,
        mentioned,
      }) as ConversationSummary;
    const mention = { ...base, before: group(1, false), after: group(2, true), hidden: false, openChatId: "dm.ana.bruno" };
    expect(shouldNotify(mention)).toBe(true);
    expect(shouldNotify({ ...mention, openChatId: "g.abcdefghij012345" })).toBe(false);
    expect(shouldNotify({ ...mention, hidden: true, openChatId: "g.abcdefghij012345" })).toBe(true);
    // An older mention still unread is not news; one's own message never is.
    expect(isNewMention({ ...mention, before: group(1, true) })).toBe(false);
    expect(isNewMention({ ...mention, myId: "ana" })).toBe(false);
    expect(notificationText(mention.after, (id) => (id === "ana" ? "Ana Souza" : id), mention.before)).toEqual({
      title: "Suporte",
      body: "Ana Souza mencionou você: @Bruno Lima veja",
    });
  });
});
