/**
 * The share webhook (R30): the contact-center platform posts an ongoing
 * WhatsApp/WebChat attendance to be shared with a colleague or a group, and the
 * card a chat shows for it. Schemas only; the rules are in party/domain/webhook.ts.
 */
import * as v from "valibot";
import { UserId } from "./ids";

export const MAX_SHARE_MESSAGES = 5000;
/** How many of the newest transcript lines the card itself carries. */
export const CARD_LINES = 5;

const Text = (max: number, name: string) =>
  v.pipe(v.string(`${name} deve ser texto`), v.maxLength(max, `${name} passa de ${max} caracteres`));
const IsoDate = v.pipe(
  v.string("data deve ser texto ISO 8601"),
  v.isoTimestamp("data deve ser ISO 8601 com fuso, ex. 2026-11-25T10:00:00Z"),
);

export const TranscriptMedia = v.object({
  url: v.pipe(v.string(), v.url("url inválida"), v.regex(/^https?:\/\//, "url deve ser http(s)"), v.maxLength(2000)),
  type: Text(100, "type"),
  name: v.optional(Text(300, "name")),
});

export const TranscriptLine = v.pipe(
  v.object({
    from: v.picklist(["customer", "agent", "bot"], "from deve ser customer, agent ou bot"),
    author: v.optional(Text(120, "author")),
    text: v.optional(Text(8000, "text")),
    media: v.optional(TranscriptMedia),
    at: IsoDate,
  }),
  v.check((l) => l.text !== undefined || l.media !== undefined, "cada mensagem precisa de text ou media"),
);
export type TranscriptLine = v.InferOutput<typeof TranscriptLine>;

export const ShareBody = v.object({
  shareId: v.pipe(
    v.string("shareId obrigatório"),
    v.regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9._:-]{1,100}$/, "shareId: 1 a 100 caracteres [A-Za-z0-9._:-], com ao menos uma letra ou número"),
  ),
  sharedBy: UserId,
  to: v.object({
    type: v.picklist(["user", "group"], "to.type deve ser user ou group"),
    id: v.pipe(v.string("to.id obrigatório"), v.minLength(1), v.maxLength(100)),
  }),
  note: v.optional(Text(1000, "note")),
  attendance: v.object({
    protocol: v.pipe(v.string("protocol obrigatório"), v.minLength(1), v.maxLength(64)),
    channel: v.picklist(["whatsapp", "webchat"], "channel deve ser whatsapp ou webchat"),
    customer: v.object({
      name: v.pipe(Text(200, "name"), v.minLength(1, "nome do cliente obrigatório")),
      phone: v.optional(Text(40, "phone")),
    }),
    startedAt: IsoDate,
    messages: v.pipe(v.array(TranscriptLine), v.maxLength(MAX_SHARE_MESSAGES, `no máximo ${MAX_SHARE_MESSAGES} mensagens`)),
  }),
});
export type ShareBody = v.InferOutput<typeof ShareBody>;

/** What a chat message carries of a share: the card. The whole transcript is fetched on demand. */
export const ShareCard = v.object({
  shareId: v.string(),
  protocol: v.string(),
  channel: v.picklist(["whatsapp", "webchat"]),
  customer: v.object({ name: v.string(), phone: v.optional(v.string()) }),
  startedAt: v.string(),
  note: v.optional(v.string()),
  lastLines: v.array(TranscriptLine),
  lineCount: v.number(),
});
export type ShareCard = v.InferOutput<typeof ShareCard>;

/** How a reply quotes, and a conversation list previews, a share: "📋 Protocolo 123 — Maria". */
export function shareSnippet(card: Pick<ShareCard, "protocol" | "customer">): string {
  return `📋 Protocolo ${card.protocol} — ${card.customer.name}`;
}

/** The whole customer conversation, as `GET /parties/chat/<room>/shares/<shareId>` serves it to members. */
export type Transcript = { shareId: string; sharedBy: string } & ShareBody["attendance"];

// ---- sign-in links for the attendance screens (R31) ------------------------

const LINK_TARGET = /^\/(c\/(dm\.[a-z0-9][a-z0-9_-]{0,39}\.[a-z0-9][a-z0-9_-]{0,39}|g\.[a-z0-9]{16})|u\/[a-z0-9][a-z0-9_-]{0,39})$/;

/** `POST /api/tenants/{tenant}/links` (admin key): a one-time link that signs `userId` in and opens `to`. */
export const LinkIssueBody = v.object({
  userId: UserId,
  to: v.pipe(v.string("to obrigatório"), v.regex(LINK_TARGET, "to deve ser /c/{chatId} ou /u/{userId}")),
});
export type LinkIssueBody = v.InferOutput<typeof LinkIssueBody>;

/** `POST /api/tenants/{tenant}/links/redeem`: the token from the link's path. */
export const LinkRedeemBody = v.object({
  token: v.pipe(v.string("token obrigatório"), v.regex(/^[A-Za-z0-9_-]{20,100}$/, "token inválido")),
});

/** Shown when a sign-in link was already used or has expired. */
export const LINK_REFUSAL = "Este link de acesso expirou ou já foi usado. Entre com seu login e senha.";
