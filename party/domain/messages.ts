/**
 * What a person may do with a stored message (R10: reply, forward, delete-own)
 * and what other places show of it (reply quotes, inbox previews), free of any
 * runtime. The chat room loads the message, asks here, and stores the answer.
 */
import { EDIT_WINDOW_MS, type Attachment, type Message, type ReplyQuote } from "../../protocol";
import type { ChatMeta } from "./chat";
import { shareSnippet } from "../../protocol/share";
import { refuse, type Refusal } from "./refusal";

export const DELETED_TEXT = "Mensagem apagada";
const SNIPPET = 120;

/** Only the sender deletes, and only once; the message keeps its place (seq, sender, time). */
export function decideDelete(target: Message | undefined | null, userId: string): { deleted: Message; file: Attachment | null } | Refusal {
  if (!target) return refuse("not_found", "Mensagem não encontrada.");
  // A group's system lines are the group's history, nobody's own message (R14).
  if (target.system) return refuse("forbidden", "Avisos do grupo não podem ser apagados.");
  if (target.senderId !== userId) return refuse("forbidden", "Você só pode apagar as suas próprias mensagens.");
  if (target.deleted) return refuse("not_found", "Esta mensagem já foi apagada.");
  const { attachment, replyTo: _quote, share: _share, ...kept } = target;
  return { deleted: { ...kept, text: "", deleted: true }, file: attachment ?? null };
}

/** The frozen quote a reply carries; refused when the original is missing or deleted. */
export function quoteFor(original: Message | undefined | null): ReplyQuote | Refusal {
  if (!original || original.deleted) return refuse("not_found", "A mensagem respondida não existe ou foi apagada.");
  const a = original.attachment;
  const text = original.text.trim();
  // A shared customer conversation (R30) is quoted by its protocol and customer, not by the note.
  const snippet = original.share
    ? [...shareSnippet(original.share)].slice(0, SNIPPET).join("")
    : text
      ? [...text].slice(0, SNIPPET).join("")
      : (a?.name ?? "");
  return { seq: original.seq, senderId: original.senderId, snippet, ...(a ? { attachmentKind: a.kind } : {}) };
}

/** A reply whose original was deleted keeps its place but no longer quotes the deleted text. */
export function withDeletedQuote(reply: Message): Message {
  if (!reply.replyTo) return reply;
  return { ...reply, replyTo: { seq: reply.replyTo.seq, senderId: reply.replyTo.senderId, snippet: "", deleted: true } };
}

/** What a forward may copy: an existing, not deleted message. */
export function forwardable(source: Message | undefined | null): Message | Refusal {
  if (source?.system) return refuse("forbidden", "Avisos do grupo não podem ser encaminhados.");
  if (!source || source.deleted) return refuse("not_found", "A mensagem encaminhada não existe ou foi apagada.");
  return source;
}

/** The one-line text the conversation list shows for a message. */
export function previewText(m: Message): string {
  if (m.deleted) return DELETED_TEXT;
  if (m.share) return shareSnippet(m.share);
  const a = m.attachment;
  if (!a) return m.text;
  const caption = m.text.trim();
  if (a.kind === "voice") return "🎤 Áudio";
  if (caption) return `📎 ${caption}`;
  if (a.kind === "image") return `📷 ${a.name}`;
  if (a.kind === "video") return `🎬 ${a.name}`;
  return `📎 ${a.name}`;
}

/** What the room keeps of an upload until, and after, a message uses it. */
export type FileRecord = { uploaderId: string; attachment: Attachment; usedBySeq: number | null; createdAt: number };

/** An upload no message (nor group image) took within `ttlMs`: its sender abandoned it, so its bytes can go. */
export function isAbandonedUpload(record: FileRecord, now: number, ttlMs: number): boolean {
  return record.usedBySeq === null && now - record.createdAt >= ttlMs;
}

/**
 * The attachment a send may carry: only the uploader's own, not yet used file; a
 * voice note (R9) must be audio and takes the recorder's duration.
 */
export function attachUpload(record: FileRecord | undefined, senderId: string, voice?: { durationMs: number }): Attachment | Refusal {
  if (!record) return refuse("not_found", "Arquivo não encontrado; anexe-o de novo.");
  if (record.uploaderId !== senderId) return refuse("forbidden", "Este arquivo foi enviado por outra pessoa.");
  if (record.usedBySeq !== null) return refuse("forbidden", "Este arquivo já foi usado em outra mensagem.");
  if (!voice) return record.attachment;
  if (!record.attachment.contentType.startsWith("audio/"))
    return refuse("invalid_frame", "Uma mensagem de voz precisa de um arquivo de áudio.");
  return { ...record.attachment, kind: "voice", durationMs: voice.durationMs };
}

/** Issue 17.4 "Editar": only one's own text message, not deleted, not a file, card or notice, within the window. */
export function decideEdit(target: Message | undefined | null, userId: string, text: string, now: number): Message | Refusal {
  if (!target || target.deleted) return refuse("not_found", "Mensagem não encontrada.");
  if (target.senderId !== userId || target.system) return refuse("forbidden", "Você só pode editar as suas próprias mensagens.");
  if (target.attachment || target.share || target.forwarded) return refuse("invalid_frame", "Só mensagens de texto podem ser editadas.");
  if (now - target.createdAt > EDIT_WINDOW_MS)
    return refuse("forbidden", "Já passaram 15 minutos: esta mensagem não pode mais ser editada.");
  if (text === target.text) return refuse("invalid_frame", "O texto é o mesmo.", "text");
  return { ...target, text, editedAt: now };
}

/** Distinct emojis a message may carry (a flood of reactions is refused, not stored). */
export const MAX_REACTIONS = 24;

/** Issue 17.5 "Reagir": one reaction per emoji per person, toggled by reacting again. */
export function toggleReaction(target: Message | undefined | null, userId: string, emoji: string): Message | Refusal {
  if (!target || target.deleted) return refuse("not_found", "Mensagem não encontrada.");
  if (target.system) return refuse("forbidden", "Avisos do grupo não recebem reações.");
  const reactions = { ...(target.reactions ?? {}) };
  const who = reactions[emoji] ?? [];
  if (who.includes(userId)) {
    const rest = who.filter((u) => u !== userId);
    if (rest.length) reactions[emoji] = rest;
    else delete reactions[emoji];
  } else {
    if (!reactions[emoji] && Object.keys(reactions).length >= MAX_REACTIONS)
      return refuse("invalid_frame", "Reações demais nesta mensagem.", "emoji");
    reactions[emoji] = [...who, userId];
  }
  const { reactions: _old, ...rest } = target;
  return Object.keys(reactions).length ? { ...rest, reactions } : rest;
}

/**
 * Issue 17.6: who a message mentions — current members only (unknown ids are
 * dropped), never the sender, in groups only; "@todos" ("*") only from an admin.
 */
export function checkMentions(meta: ChatMeta, senderId: string, mentions: readonly string[] | undefined): string[] | Refusal {
  if (!mentions?.length) return [];
  if (meta.kind !== "group") return [];
  if (mentions.includes("*")) {
    const admin = meta.group.members.some((m) => m.userId === senderId && m.role === "admin");
    if (!admin) return refuse("forbidden", "Só administradores podem mencionar @todos.", "mentions");
    return ["*"];
  }
  const members = new Set(meta.group.members.map((m) => m.userId));
  return [...new Set(mentions)].filter((id) => id !== senderId && members.has(id));
}
