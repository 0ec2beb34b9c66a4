/**
 * Exports (issue 18.5, LGPD), pure: which chat an admin means (its id, its
 * address in the app `…/c/<id>`, or the 1:1 chat between two people), the
 * archive's file name from the server's answer, and the progress as a person
 * reads it.
 */
import { directChatId, isChatId, USER_ID_RE } from "../../../protocol/ids";

/** A chat id from what was typed: the id itself or an app address ending in `/c/<id>`; null when it is neither. */
export function chatIdFrom(text: string): string | null {
  const typed = text.trim();
  if (isChatId(typed)) return typed;
  const m = /\/c\/([^/?#\s]+)\/?(?:[?#].*)?$/.exec(typed);
  if (!m) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return isChatId(id) ? id : null;
}

/** The 1:1 chat between two users (its id is derived from theirs), or null when they are not two valid, different ids. */
export function directChatBetween(a: string, b: string): string | null {
  const [x, y] = [a.trim(), b.trim()];
  return USER_ID_RE.test(x) && USER_ID_RE.test(y) && x !== y ? directChatId(x, y) : null;
}

/** The name in `content-disposition: attachment; filename="…"`, or the fallback; never a path. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "");
  let name = "";
  if (star) {
    try {
      name = decodeURIComponent(star[1]!.trim());
    } catch {
      name = "";
    }
  }
  if (!name) name = /filename="([^"]+)"/i.exec(disposition ?? "")?.[1] ?? /filename=([^;]+)/i.exec(disposition ?? "")?.[1]?.trim() ?? "";
  name = name.replace(/[\\/]/g, "_").replace(/^\.+/, "");
  return name || fallback;
}

/** A share 0–1 when the size is known (a streamed zip usually has none: then null, and only the bytes show). */
export function progressShare(received: number, total: number | null): number | null {
  return total && total > 0 ? Math.min(1, received / total) : null;
}
