/**
 * What every row of the HTTP API (api.ts) is: a method, a path pattern, who may
 * call it, and a handler that gets the request with what the edge already knows.
 *
 * Access: `public` (nobody in particular), `session` (a signed-in user),
 * `platform` (the deployment's CONVERSAS_ADMIN_KEY), `company` (the platform
 * key, that company's own key, or a signed-in admin of that company: see
 * company.ts), `service` (the sip-proxy's service token).
 */
import type { ActorKind, AuditAction } from "../../protocol/admin";
import type { Identity } from "../domain/session";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import type { Trace } from "../runtime/log";
import * as v from "valibot";
import { parseJson } from "../../protocol/validate";
import { errorResponse, readBody } from "../runtime/respond";

export type Access = "public" | "session" | "platform" | "company" | "service";

/** Who is acting, as the audit trail records it. */
export type Actor = { kind: ActorKind; id: string };

export type Ctx = {
  req: Request;
  params: Record<string, string>;
  config: RoomConfig;
  env: Record<string, unknown>;
  call: CallRoom;
  /** The caller, for `session` routes (and company admins who came with their session). */
  who: Identity | null;
  /** Who acts, for `platform` and `company` routes. */
  actor: Actor | null;
  trace: Trace;
  /** Keeps work going after the answer (audit writes of sign-ins, exports' streams). */
  waitUntil(work: Promise<unknown>): void;
};

export type ApiRoute = { method: string; path: RegExp; access: Access; handle(ctx: Ctx): Promise<Response> };

export const T = "(?<tenant>[^/]+)";
export const U = "(?<userId>[^/]+)";

/** What sealed PBX credentials are bound to (domain/secretbox.ts, with the company). */
export const SIP_PURPOSE = "sip-credentials";

/** The audit entry of an action, as the edge hands it to the company's audit room. */
export type AuditNote = { action: AuditAction; target?: string; ok?: boolean; detail?: Record<string, string | number | boolean | null> };

/** A request's JSON body checked against its schema (an empty body reads as `{}`); too large or malformed is the answer to send. */
export async function jsonBody<S extends v.GenericSchema>(ctx: Ctx, schema: S, max = 16 * 1024) {
  const text = await readBody(ctx.req, max);
  if (text === null) return { ok: false as const, response: errorResponse("too_large", "corpo grande demais") };
  const parsed = parseJson(schema, text || "{}");
  if (!parsed.ok) return { ok: false as const, response: errorResponse("invalid_body", parsed.message, parsed.field) };
  return { ok: true as const, value: parsed.value as v.InferOutput<S> };
}
