/**
 * `POST /api/tenants/{tenant}/share` (R30): the contact-center platform shares an
 * ongoing WhatsApp/WebChat attendance with a colleague or a group. Checked in
 * this order, each refusal before anything is written: size (413, counted on the
 * raw bytes as they arrive), signature over `timestamp + "." + tenant + "." +
 * body` with the company's secret (401), schema (400 naming the field), the
 * agent (404), the target (404). The chat room then decides membership (403),
 * idempotency (200 with the first ids) and stores it (201 `{chatId, messageId}`).
 * Also the sign-in links of R31, the other call the attendance screens make.
 */
import { chatRoomId, directChatId, GROUP_CHAT_RE } from "../../protocol/ids";
import { LinkIssueBody, LinkRedeemBody, LINK_REFUSAL, ShareBody } from "../../protocol/share";
import { parseJson } from "../../protocol/validate";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook, webhookSecretFor } from "../domain/webhook";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import { log } from "../runtime/log";
import { errorResponse, json, readBytes, refusalResponse } from "../runtime/respond";
import { audit } from "./company";
import type { Ctx } from "./route";
import { openSession } from "./session";

/** Whether the user is an enabled Conversas user of the company. */
async function active(call: CallRoom, tenant: string, userId: string): Promise<boolean> {
  const res = await call("directory.known", tenant, { ids: [userId] });
  return res.ok && res.value.known.includes(userId);
}

export async function shareApi(ctx: Ctx): Promise<Response> {
  const { req, env, config, call } = ctx;
  const tenant = ctx.params.tenant!;
  const raw = await readBytes(req, config.maxShareBytes);
  if (!raw) return errorResponse("too_large", `corpo maior que o limite de ${config.maxShareBytes} bytes`);
  const secret = webhookSecretFor(tenant, env);
  if (!secret) return errorResponse("unauthorized", "webhook não configurado para esta empresa");
  const check = await verifyWebhook(secret, req.headers.get(SIGNATURE_HEADER), req.headers.get(TIMESTAMP_HEADER), tenant, raw);
  if (!check.ok) {
    const why = {
      missing: "assinatura ausente: envie X-Conversas-Signature e X-Conversas-Timestamp",
      malformed: "assinatura ou timestamp malformados",
      stale: "timestamp fora da janela de 5 minutos",
      mismatch: "assinatura inválida",
    }[check.reason];
    log("warn", "share_refused", { tenant, reason: check.reason });
    ctx.waitUntil(
      audit(ctx, tenant, { kind: "anonymous", id: "webhook" }, { action: "share.refused", ok: false, detail: { reason: check.reason } }),
    );
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
  if (!(await active(call, tenant, body.sharedBy))) return errorResponse("not_found", "atendente não encontrado", "sharedBy");
  let chatId: string;
  if (body.to.type === "user") {
    if (body.to.id === body.sharedBy) return errorResponse("invalid_body", "o destino deve ser outra pessoa", "to.id");
    if (!(await active(call, tenant, body.to.id))) return errorResponse("not_found", "contato não encontrado", "to.id");
    chatId = directChatId(body.sharedBy, body.to.id);
  } else {
    if (!GROUP_CHAT_RE.test(body.to.id)) return errorResponse("not_found", "grupo não encontrado", "to.id");
    chatId = body.to.id;
  }
  const res = await call("chat.receiveShare", chatRoomId(tenant, chatId), { share: body });
  if (!res.ok) return refusalResponse(res);
  log("info", "share", { tenant, chatId, shareId: body.shareId, created: res.value.created });
  await audit(
    ctx,
    tenant,
    { kind: "system", id: "webhook" },
    {
      action: "share",
      target: chatId,
      detail: { shareId: body.shareId, sharedBy: body.sharedBy, created: res.value.created },
    },
  );
  return json({ chatId, messageId: res.value.messageId }, res.value.created ? 201 : 200);
}

/** `POST …/links` (the edge has checked the admin key) → `{url}` at the configured public address. */
export async function issueLink(req: Request, tenant: string, config: RoomConfig, call: CallRoom): Promise<Response> {
  const raw = await readBytes(req, 4096);
  if (!raw) return errorResponse("too_large", "corpo grande demais");
  const parsed = parseJson(LinkIssueBody, new TextDecoder().decode(raw));
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const res = await call("directory.linkIssue", tenant, parsed.value);
  if (!res.ok) return refusalResponse(res);
  // Built from configuration, never from the request's Host header (issue 12, low).
  const base = config.publicUrl ?? new URL(req.url).origin;
  return json({ url: `${base}/l/${tenant}/${res.value.token}` }, 201);
}

/** `POST …/links/redeem {token}` → a session like `/api/login`'s, plus `to`; once. */
export async function redeemLink(ctx: Ctx): Promise<Response> {
  const { req, config, call } = ctx;
  const tenant = ctx.params.tenant!;
  const raw = await readBytes(req, 4096);
  const parsed = raw ? parseJson(LinkRedeemBody, new TextDecoder().decode(raw)) : null;
  if (!parsed?.ok) return errorResponse("unauthorized", LINK_REFUSAL);
  const res = await call("directory.linkRedeem", tenant, parsed.value);
  if (!res.ok) return refusalResponse(res);
  const found = await call("directory.access", tenant, { userId: res.value.userId });
  if (!found.ok || !found.value.access?.mayUse) return errorResponse("unauthorized", LINK_REFUSAL);
  log("info", "link_redeemed", { tenant, userId: res.value.userId });
  ctx.waitUntil(
    audit(
      ctx,
      tenant,
      { kind: "user", id: res.value.userId },
      { action: "login.success", target: res.value.userId, detail: { method: "link" } },
    ),
  );
  return openSession(req, config, call, tenant, found.value.access, { to: res.value.to });
}
