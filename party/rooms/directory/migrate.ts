/**
 * A directory that still holds the key-value layout of earlier releases
 * (`user:<id>` → UserRecord, `login:<login>` → id, `link:<hash>` → a link)
 * moves into the tables on its first start: copied, counted, then the old keys
 * deleted. Old links were hashed the same way (SHA-256, base64url), so an
 * unexpired one keeps working.
 */
import type { UserRecord } from "../../domain/directory";
import { loginKey } from "../../domain/directory";
import type { RoomHost } from "../../runtime/host";
import { copier, moveLegacyKeys } from "../legacy";

type LegacyLink = { userId: string; to: string; expiresAt: number };

export async function migrateLegacy(host: RoomHost): Promise<void> {
  const db = host.storage;
  await moveLegacyKeys(host, {
    "user:": copier<UserRecord>({
      copy: (u) =>
        db.run("INSERT OR REPLACE INTO users(id, login_key, record) VALUES (?, ?, ?)", u.id, loginKey(u.login), JSON.stringify(u)),
      landed: (u) => !!db.one("SELECT 1 FROM users WHERE id = ?", u.id),
    }),
    // The login index is rebuilt from the users themselves.
    "login:": null,
    "link:": copier<LegacyLink>({
      copy: (l, key) =>
        db.run(
          "INSERT OR IGNORE INTO links(hash, user_id, target, expires_at) VALUES (?, ?, ?, ?)",
          key.slice(5),
          l.userId,
          l.to,
          l.expiresAt,
        ),
    }),
  });
}
