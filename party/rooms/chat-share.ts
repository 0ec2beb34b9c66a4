/**
 * A shared customer conversation inside a conversation room (R30). The edge has
 * checked the webhook's signature, its schema and that the agent and a user
 * target exist; here the room decides the rest on its serial queue: the chat must
 * exist (a DM's meta is made on first use) and the agent must be a member now;
 * the same shareId again answers with the first message's ids. The whole
 * transcript goes to R2 before the message is stored, so a card never points at
 * nothing, and members read it back through `GET /shares/<shareId>` (checked like
 * a file download). A forward carries the card; its copy gets the transcript too.
 *
 * Storage keys (beside chat-log.ts's):
 *   share:<shareId>   → seq of the message a webhook share made here (idempotency)
 *   shcopy:<shareId>  → seq of the latest forwarded copy of that share here
 * R2: shares/<tenant>/<chatId>/<shareId>.json → Transcript (protocol/share.ts)
 */
import type { Message } from "../../protocol";
import { parseJson } from "../../protocol";
import { ShareBody, type ShareCard, type Transcript } from "../../protocol/share";
import { decideSend, isMember, membersOf, type ChatMeta } from "../domain/chat";
import type { Identity } from "../domain/session";
import { shareCard } from "../domain/webhook";
import { msgKey } from "./chat-log";
import type { RoomHost } from "./host";
import { errorResponse, json, refuse } from "./respond";

export type ChatShareContext = {
  host: RoomHost;
  tenant: string;
  chatId: string;
  ensureMeta(): Promise<ChatMeta | null>;
  lastSeq(): number;
  serial<T>(work: () => Promise<T>): Promise<T>;
  /** The room's one way to store a new message: acked, broadcast and pushed to inboxes. */
  append(message: Message, extra: Record<string, unknown>): Promise<void>;
};

export const shareKey = (shareId: string) => `share:${shareId}`;
/** One key per forwarded copy of a card here, so the transcript stays readable while any copy does. */
export const shareCopyKey = (shareId: string, seq: number) => `shcopy:${shareId}:${seq}`;
export const transcriptKey = (tenant: string, chatId: string, shareId: string) => `shares/${tenant}/${chatId}/${shareId}.json`;

export function chatShare({ host, tenant, chatId, ensureMeta, lastSeq, serial, append }: ChatShareContext) {
  const answer = (seq: number, status: number) => json({ chatId, messageId: `${chatId}:${seq}` }, status);

  /** `POST /share` (service only): `{ senderId, share: ShareBody }`, already signed and validated at the edge. */
  async function receive(text: string): Promise<Response> {
    const parsed = parseJson(ShareBody, text);
    if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
    const body = parsed.value;
    if (!host.files) return errorResponse("internal", "armazenamento de arquivos indisponível");
    const meta = await ensureMeta();
    // A group everyone has left is gone (R18), like one that never existed.
    if (!meta || membersOf(meta).length === 0) return errorResponse("not_found", "Conversa não encontrada.", "to.id");
    return serial(async () => {
      const seen = await host.storage.get<number>(shareKey(body.shareId));
      if (seen !== undefined) return answer(seen, 200);
      const current = (await ensureMeta())!;
      if (!isMember(current, body.sharedBy)) return errorResponse("forbidden", "O atendente não participa deste grupo.", "sharedBy");
      const transcript: Transcript = { shareId: body.shareId, sharedBy: body.sharedBy, ...body.attendance };
      await host.files!.put(transcriptKey(tenant, chatId, body.shareId), JSON.stringify(transcript), {
        httpMetadata: { contentType: "application/json" },
      });
      const frame = { type: "message.send" as const, clientId: `share-${body.shareId}`, text: body.note ?? "" };
      const decision = decideSend(current, lastSeq(), body.sharedBy, frame, undefined, Date.now());
      if ("refused" in decision) return errorResponse(decision.code === "forbidden" ? "forbidden" : "not_found", decision.message);
      if (decision.kind !== "append") return errorResponse("internal", "decisão inesperada");
      const message: Message = { ...decision.message, share: shareCard(body) };
      await append(message, { [shareKey(body.shareId)]: message.seq });
      return answer(message.seq, 201);
    });
  }

  /** `GET /shares/<shareId>`: the whole transcript, for current members with a live session only. */
  async function transcript(req: Request, who: Identity | null, shareId: string): Promise<Response> {
    if (!who) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
    const meta = await ensureMeta();
    if (!meta) return errorResponse("not_found", "Conversa não encontrada.");
    if (!isMember(meta, who.userId)) return errorResponse("forbidden", "Você não participa desta conversa.");
    const alive = await host.call("directory", tenant, `/session-check?user=${who.userId}&sv=${who.sessionVersion}`);
    if (!alive.ok) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
    // Served only while a message here still shows the card (a deleted one takes it along).
    const original = await host.storage.get<number>(shareKey(shareId));
    const copies = await host.storage.list<number>({ prefix: `shcopy:${shareId}:`, limit: 1000 });
    const seqs = [...(original === undefined ? [] : [original]), ...copies.values()];
    const messages = new Map<string, Message>();
    for (let i = 0; i < seqs.length; i += 128)
      for (const [k, m] of await host.storage.get<Message>(seqs.slice(i, i + 128).map(msgKey))) messages.set(k, m);
    if (![...messages.values()].some((m) => !m.deleted && m.share?.shareId === shareId)) {
      return errorResponse("not_found", "Histórico não encontrado.");
    }
    const object = await host.files?.get(transcriptKey(tenant, chatId, shareId));
    if (!object) return errorResponse("not_found", "Histórico não encontrado.");
    return new Response(object.body, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    });
  }

  /**
   * A forward brings a card from another chat of the tenant: its transcript is
   * copied under this chat's prefix (kept if already here). False when the source is gone.
   */
  async function copyFrom(sourceChatId: string, card: ShareCard): Promise<boolean> {
    const target = transcriptKey(tenant, chatId, card.shareId);
    if (await host.files?.head(target)) return true;
    const source = await host.files?.get(transcriptKey(tenant, sourceChatId, card.shareId));
    if (!source) return false;
    await host.files!.put(target, await source.arrayBuffer(), {
      httpMetadata: { contentType: "application/json" },
      customMetadata: { copiedFrom: sourceChatId },
    });
    return true;
  }

  return { receive, transcript, copyFrom };
}
