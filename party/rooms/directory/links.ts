/**
 * One-time sign-in links for the attendance screens (R31), kept by the company's
 * directory. Issuing (the edge has checked the admin key) stores only a hash of
 * a random token with the user, the path to open and an expiry; redeeming takes
 * the row out before anything else, so a link works once even when two tabs
 * race. Used, expired, or for a user who may no longer sign in: the same refusal.
 * The edge opens the session.
 */
import { directChatMembers } from "../../../protocol/ids";
import { answer, refusal, type RouteBody } from "../../../protocol/internal";
import { LINK_REFUSAL } from "../../../protocol/share";
import { maySignIn, type UserRecord } from "../../domain/directory";
import { digest, newSecret } from "../../domain/session";
import type { RoomHost } from "../../runtime/host";

export function directoryLinks(host: RoomHost, user: (id: string) => UserRecord | null) {
  const db = host.storage;

  async function issue({ userId, to }: RouteBody<"directory.linkIssue">) {
    if (!maySignIn(user(userId))) return refusal("not_found", "usuário não encontrado ou sem acesso ao Conversas", "userId");
    const pair = to.startsWith("/c/") ? directChatMembers(to.slice(3)) : null;
    if (to.startsWith("/c/dm.") && (!pair || !pair.includes(userId)))
      return refusal("invalid_body", "a conversa não é deste usuário", "to");
    const now = host.now();
    db.run("DELETE FROM links WHERE expires_at <= ?", now);
    const token = newSecret(32);
    const expiresAt = now + host.config.linkTtlMs;
    db.run("INSERT INTO links(hash, user_id, target, expires_at) VALUES (?, ?, ?, ?)", await digest(token), userId, to, expiresAt);
    return answer({ token, expiresAt });
  }

  async function redeem({ token }: RouteBody<"directory.linkRedeem">) {
    const hash = await digest(token);
    const row = db.one<{ user_id: string; target: string; expires_at: number }>(
      "SELECT user_id, target, expires_at FROM links WHERE hash = ?",
      hash,
    );
    if (!row) return refusal("unauthorized", LINK_REFUSAL);
    db.run("DELETE FROM links WHERE hash = ?", hash);
    if (row.expires_at <= host.now() || !maySignIn(user(row.user_id))) return refusal("unauthorized", LINK_REFUSAL);
    return answer({ userId: row.user_id, to: row.target });
  }

  return { issue, redeem };
}
