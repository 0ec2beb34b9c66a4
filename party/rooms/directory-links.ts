/**
 * One-time sign-in links for the attendance screens (R31), kept by the tenant's
 * directory room. Issuing (the edge has checked the admin key) stores only a hash
 * of a random token with the user, the path to open and an expiry; redeeming takes
 * the record out before anything else, so a link works once even when two tabs
 * race, and answers like `/login` plus `to`. Used, expired, or for a user who may
 * no longer sign in: the same 401.
 *
 * Storage: link:<sha-256 of the token, base64url> → LinkRecord
 */
import { directChatMembers, parseJson } from "../../protocol";
import { LINK_REFUSAL, LinkIssueBody, LinkRedeemBody } from "../../protocol/share";
import { b64url } from "../domain/crypto";
import { maySignIn, publicUser, type UserRecord } from "../domain/directory";
import { issueSession } from "../domain/session";
import type { RoomHost } from "./host";
import { errorResponse, json } from "./respond";

type LinkRecord = { userId: string; to: string; expiresAt: number };

export type DirectoryLinksContext = { host: RoomHost; user(id: string): UserRecord | null };

const linkKey = async (token: string) =>
  `link:${b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))))}`;

export function directoryLinks({ host, user }: DirectoryLinksContext) {
  /** Redeems run one after another: the read and the delete of one link must not interleave with another's. */
  let redeems: Promise<unknown> = Promise.resolve();

  /** `POST /links {userId, to}` → `{token}`. */
  async function issue(text: string): Promise<Response> {
    const parsed = parseJson(LinkIssueBody, text);
    if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
    const { userId, to } = parsed.value;
    if (!maySignIn(user(userId))) return errorResponse("not_found", "usuário não encontrado ou sem acesso ao Conversas", "userId");
    const pair = to.startsWith("/c/") ? directChatMembers(to.slice(3)) : null;
    if (to.startsWith("/c/dm.") && (!pair || !pair.includes(userId)))
      return errorResponse("invalid_body", "a conversa não é deste usuário", "to");
    const now = Date.now();
    await sweep(now);
    const token = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const record: LinkRecord = { userId, to, expiresAt: now + host.config.linkTtlMs };
    await host.storage.put(await linkKey(token), record);
    return json({ token, expiresAt: record.expiresAt }, 201);
  }

  /** Drops expired links that nobody redeemed, a page at a time. */
  async function sweep(now: number) {
    const old = await host.storage.list<LinkRecord>({ prefix: "link:", limit: 100 });
    const expired = [...old].filter(([, r]) => r.expiresAt <= now).map(([k]) => k);
    if (expired.length) await host.storage.delete(expired);
  }

  /** `POST /links/redeem {token}` → `{token, user, to}` like `/login`, once. */
  function redeem(text: string): Promise<Response> {
    const run = redeems.then(async () => {
      const parsed = parseJson(LinkRedeemBody, text);
      if (!parsed.ok) return errorResponse("unauthorized", LINK_REFUSAL);
      const key = await linkKey(parsed.value.token);
      const record = await host.storage.get<LinkRecord>(key);
      if (!record) return errorResponse("unauthorized", LINK_REFUSAL);
      await host.storage.delete(key);
      const u = user(record.userId);
      if (record.expiresAt <= Date.now() || !maySignIn(u)) return errorResponse("unauthorized", LINK_REFUSAL);
      const token = await issueSession(host.config.sessionSecret, { userId: u.id, tenant: host.id, sessionVersion: u.sessionVersion });
      return json({ token, user: publicUser(u), to: record.to });
    });
    redeems = run.catch(() => undefined);
    return run;
  }

  return { issue, redeem };
}
