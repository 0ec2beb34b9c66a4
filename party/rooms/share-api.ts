/**
 * `POST /api/tenants/{tenant}/share` (R30): the contact-center platform shares an
 * ongoing WhatsApp/WebChat attendance with a colleague or a group. Checked in
 * this order, each refusal before anything is written: size (413, counted on the
 * raw bytes as they arrive), signature over `timestamp + "." + body` with the
 * tenant's secret (401), schema (400 naming the field), the agent (404), the
 * target (404). The chat room then decides membership (403), idempotency (200
 * with the first ids) and stores it (201 `{chatId, messageId}`). Also the
 * sign-in links of R31 (`linksApi`), the other call the attendance screens make.
 */
import { chatRoomId, directChatId, GROUP_CHAT_RE, parseJson, TENANT_RE, type PublicUser } from "../../protocol";
import { ShareBody } from "../../protocol/share";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook, webhookSecretFor } from "../domain/webhook";
import type { RoomConfig } from "./config";
import type { CallRoom } from "./edge";
import { errorResponse, json, readBytes, refuse } from "./respond";

/** An enabled Conversas user of the tenant, or null. */
async function activeUser(callRoom: CallRoom, tenant: string, userId: string): Promise<PublicUser | null> {
  const res = await callRoom("directory", tenant, `/users/${encodeURIComponent(userId)}`);
  if (!res.ok) return null;
  const user = (await res.json()) as PublicUser;
  return user.enabled && user.modules.includes("conversas") ? user : null;
}

export async function shareApi(
  req: Request,
  tenant: string,
  env: Record<string, unknown>,
  config: RoomConfig,
  callRoom: CallRoom,
): Promise<Response> {
  if (!TENANT_RE.test(tenant)) return refuse(req, "not_found", "empresa desconhecida");
  const raw = await readBytes(req, config.maxShareBytes);
  if (!raw) return errorResponse("too_large", `corpo maior que o limite de ${config.maxShareBytes} bytes`);
  const secret = webhookSecretFor(tenant, env);
  if (!secret) return errorResponse("unauthorized", "webhook não configurado para esta empresa");
  const check = await verifyWebhook(secret, req.headers.get(SIGNATURE_HEADER), req.headers.get(TIMESTAMP_HEADER), raw);
  if (!check.ok) {
    const why = {
      missing: "assinatura ausente: envie X-Conversas-Signature e X-Conversas-Timestamp",
      malformed: "assinatura ou timestamp malformados",
      stale: "timestamp fora da janela de 5 minutos",
      mismatch: "assinatura inválida",
    }[check.reason];
    return errorResponse("unauthorized", why);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return errorResponse("invalid_body", "o corpo deve ser UTF-8", "(raiz)");
  }
  const parsed = parseJson(ShareBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const body = parsed.value;
  if (!(await activeUser(callRoom, tenant, body.sharedBy))) return errorResponse("not_found", "atendente não encontrado", "sharedBy");
  let chatId: string;
  if (body.to.type === "user") {
    if (body.to.id === body.sharedBy) return errorResponse("invalid_body", "o destino deve ser outra pessoa", "to.id");
    if (!(await activeUser(callRoom, tenant, body.to.id))) return errorResponse("not_found", "contato não encontrado", "to.id");
    chatId = directChatId(body.sharedBy, body.to.id);
  } else {
    if (!GROUP_CHAT_RE.test(body.to.id)) return errorResponse("not_found", "grupo não encontrado", "to.id");
    chatId = body.to.id;
  }
  return callRoom("chat", chatRoomId(tenant, chatId), "/share", { method: "POST", body: text });
}

/**
 * The sign-in links of R31, also for the attendance screens: `POST …/links` (the
 * edge has checked the admin key) → `{url}` at this request's origin, and
 * `POST …/links/redeem` `{token}` → a session like `/api/login`'s, plus `to`.
 */
export async function linksApi(req: Request, tenant: string, redeem: boolean, callRoom: CallRoom): Promise<Response> {
  if (!TENANT_RE.test(tenant)) return refuse(req, "not_found", "empresa desconhecida");
  const text = await readBytes(req, 4096);
  if (!text) return errorResponse("too_large", "corpo grande demais");
  const body = new TextDecoder().decode(text);
  const res = await callRoom("directory", tenant, redeem ? "/links/redeem" : "/links", { method: "POST", body });
  if (redeem || res.status !== 201) return res;
  const { token } = (await res.json()) as { token: string };
  return json({ url: `${new URL(req.url).origin}/l/${tenant}/${token}` }, 201);
}
