/**
 * Moving a room's key-value data of earlier releases into its tables (issue
 * 13.4): for each old prefix, a page of keys at a time, `copy` writes the page
 * inside one transaction (and throws when a row did not land), and only then
 * are those keys deleted; a start cut short resumes with what is left. Only the
 * old layout's prefixes are touched: partyserver keeps keys of its own in the
 * same store.
 */
import type { RoomStorage } from "../runtime/host";

export async function moveLegacyKeys(
  db: RoomStorage,
  prefixes: readonly string[],
  copy: (page: Map<string, unknown>) => void,
  pageSize = 500,
): Promise<void> {
  for (const prefix of prefixes) {
    for (;;) {
      const page = await db.legacy.list({ prefix, limit: pageSize });
      if (page.size === 0) break;
      db.transaction(() => copy(page));
      await db.legacy.delete([...page.keys()]);
    }
  }
}
