/**
 * A shared customer conversation inside a conversation room (R30). The edge has
 * checked the webhook's signature, its schema and that the agent and a user
 * target exist; here the room decides the rest on its serial queue: the chat
 * must exist (a DM's head is made on first use) and the agent must be a member
 * now; the same shareId again answers with the first message's id. The whole
 * transcript goes to the file store before the message is stored, so a card never
 * points at nothing, and members read it back through `GET /shares/<shareId>`
 * while any message here still shows the card (table `shares`, schema.ts).
 * R2: shares/<tenant>/<chatId>/<shareId>.json → Transcript (protocol/share.ts)
 */
import type { Message } from "../../../protocol/chat";
import { answer, refusal, type Answer, type RouteBody } from "../../../protocol/internal";
import type { Transcript } from "../../../protocol/share";
import { decideSend } from "../../domain/chat";
import { shareCard } from "../../domain/webhook";
import type { Caller } from "../../runtime/host";
import { errorResponse, refuse } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { messagesAt } from "./schema";

export const transcriptKey = (tenant: string, chatId: string, shareId: string) => `shares/${tenant}/${chatId}/${shareId}.json`;

export function chatShare(ctx: ChatContext) {
  const { host, state, tenant, chatId } = ctx;

  /** `chat.receiveShare` from the edge: stored once per shareId. */
  function receive({ share: body }: RouteBody<"chat.receiveShare">): Promise<Answer<{ messageId: string; created: boolean }>> {
    return ctx.serial(async () => {
      if (!host.files) return refusal("internal", "armazenamento de arquivos indisponível");
      const meta = await ctx.ensureMeta();
      // A group everyone has left is gone (R18), like one that never existed.
      if (!meta || state.members().length === 0) return refusal("not_found", "Conversa não encontrada.", "to.id");
      const seen = host.storage.one<{ seq: number }>("SELECT seq FROM shares WHERE share_id = ? AND original = 1", body.shareId);
      if (seen) return answer({ messageId: `${chatId}:${seen.seq}`, created: false });
      if (!state.isMember(body.sharedBy)) return refusal("forbidden", "O atendente não participa deste grupo.", "sharedBy");
      const transcript: Transcript = { shareId: body.shareId, sharedBy: body.sharedBy, ...body.attendance };
      await host.files.put(transcriptKey(tenant, chatId, body.shareId), JSON.stringify(transcript), { contentType: "application/json" });
      const frame = { type: "message.send" as const, clientId: `share-${body.shareId}`, text: body.note ?? "" };
      const d = decideSend(state.meta!, state.lastSeq, body.sharedBy, frame, undefined, host.now());
      if ("refused" in d) return refusal(d.code === "forbidden" ? "forbidden" : "not_found", d.message);
      if (d.kind !== "append") return refusal("internal", "decisão inesperada");
      const message: Message = { ...d.message, share: shareCard(body) };
      state.commit((tx) => {
        tx.append(message);
        host.storage.run("INSERT INTO shares(share_id, seq, original) VALUES (?, ?, 1)", body.shareId, message.seq);
      });
      ctx.broadcast({ type: "message.new", message });
      ctx.changed({ members: "all", index: true });
      return answer({ messageId: message.id, created: true });
    });
  }

  /** `GET /shares/<shareId>`: the whole transcript, for current members, while a message here still shows the card. */
  async function transcript(req: Request, caller: Caller, shareId: string): Promise<Response> {
    if (!caller.identity) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
    if (!state.meta) return errorResponse("not_found", "Conversa não encontrada.");
    if (!state.isMember(caller.identity.userId)) return errorResponse("forbidden", "Você não participa desta conversa.");
    const seqs = host.storage.all<{ seq: number }>("SELECT seq FROM shares WHERE share_id = ?", shareId).map((r) => r.seq);
    const shown = [...messagesAt(host.storage, seqs).values()].some((m) => !m.deleted && m.share?.shareId === shareId);
    if (!shown) return errorResponse("not_found", "Histórico não encontrado.");
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

  /** A forward brings a card from another chat: its transcript is copied under this chat's prefix (kept if already here). */
  async function copyTranscript(sourceChatId: string, shareId: string): Promise<boolean> {
    if (!host.files) return false;
    const target = transcriptKey(tenant, chatId, shareId);
    if (await host.files.exists(target)) return true;
    const source = await host.files.bytes(transcriptKey(tenant, sourceChatId, shareId));
    if (!source) return false;
    await host.files.put(target, source, { contentType: "application/json", custom: { copiedFrom: sourceChatId } });
    return true;
  }

  return { receive, transcript, copyTranscript };
}
