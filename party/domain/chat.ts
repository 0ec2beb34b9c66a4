/**
 * The rules of a conversation, free of any runtime: who may take part, what a
 * send becomes, how read cursors move. The chat room loads state, asks these
 * functions, stores what they return and broadcasts it.
 */
import type { Attachment, Message, MessagePreview, ChatClientFrame, ReplyQuote } from "../../protocol";
import type { GroupInfo } from "../../protocol/groups";
import { previewText } from "./messages";
import { refuse, type Refusal } from "./refusal";

export type { Refusal };

/** A 1:1 chat's members never change; a group's live in its GroupInfo (R13–R18). */
export type ChatMeta =
  | { chatId: string; kind: "direct"; members: string[]; createdAt: number }
  | { chatId: string; kind: "group"; group: GroupInfo; createdAt: number };

/** Who takes part now: a group's current members (not those who left or were removed). */
export function membersOf(meta: ChatMeta): string[] {
  return meta.kind === "direct" ? meta.members : meta.group.members.map((m) => m.userId);
}

export function isMember(meta: ChatMeta, userId: string): boolean {
  return membersOf(meta).includes(userId);
}

export type SendDecision = { kind: "duplicate"; seq: number } | { kind: "append"; message: Message } | Refusal;

type SendFrame = Extract<ChatClientFrame, { type: "message.send" }>;

/**
 * Decides what a `message.send` becomes. `seenSeq` is the seq already stored for
 * this (sender, clientId), when there is one: a resend is acknowledged again,
 * never appended twice.
 */
export function decideSend(
  meta: ChatMeta,
  lastSeq: number,
  senderId: string,
  frame: SendFrame,
  seenSeq: number | undefined,
  now: number,
  extra: { attachment?: Attachment; replyTo?: ReplyQuote; forwarded?: boolean; mentions?: string[] } = {},
): SendDecision {
  if (!isMember(meta, senderId)) return refuse("forbidden", "Você não participa desta conversa.");
  if (seenSeq !== undefined) return { kind: "duplicate", seq: seenSeq };
  const seq = lastSeq + 1;
  return {
    kind: "append",
    message: {
      id: `${meta.chatId}:${seq}`,
      seq,
      chatId: meta.chatId,
      clientId: frame.clientId,
      senderId,
      text: frame.text,
      createdAt: now,
      ...(extra.attachment ? { attachment: extra.attachment } : {}),
      ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
      ...(extra.forwarded ? { forwarded: true } : {}),
      ...(extra.mentions?.length ? { mentions: extra.mentions } : {}),
    },
  };
}

/**
 * Moves a member's read cursor: only forward, never past the last message.
 * Returns null when nothing changes.
 */
export function advanceReadCursor(current: number, requested: number, lastSeq: number): number | null {
  const next = Math.min(requested, lastSeq);
  return next > current ? next : null;
}

export type UnreadState = { unread: number; lastUnreadAt: number | null; mentioned: boolean };

/**
 * Where a member's unread messages start (R6, R20): after the latest of their
 * read cursor, the log line that added them to the group, and their own last
 * message (sending means they are looking at the chat). So none of their own
 * messages is ever unread, and a re-added member does not get the history they
 * were away from as unread.
 */
export function effectiveCursor(c: { read: number; joined: number; sent: number }): number {
  return Math.max(c.read, c.joined, c.sent);
}

export function previewOf(m: Message): MessagePreview {
  return {
    seq: m.seq,
    senderId: m.senderId,
    text: previewText(m).slice(0, 200),
    createdAt: m.createdAt,
    ...(m.deleted ? { deleted: true } : {}),
    ...(m.system ? { system: m.system } : {}),
  };
}

/**
 * Keeps the newer of two previews (by seq); used so late or retried pushes never
 * go back in time. At the same seq a deletion wins: it is final, so a late push
 * of the original cannot bring the text back.
 */
export function newerPreview(a: MessagePreview | null, b: MessagePreview | null): MessagePreview | null {
  if (!a) return b;
  if (!b) return a;
  if (b.seq === a.seq) return b.deleted && !a.deleted ? b : a;
  return b.seq > a.seq ? b : a;
}
