/**
 * Moving a room's key-value data of earlier releases into its tables (issue
 * 13.4): for each old prefix, a page of keys at a time, its copier writes the
 * page inside one transaction (which fails when a row did not land), and only
 * then are those keys deleted; a start cut short resumes with what is left. Only the
 * old layout's prefixes are touched: partyserver keeps keys of its own in the
 * same store.
 */
import type { RoomHost } from "../runtime/host";

/** How one old prefix's entries move: `copy` writes one; `landed` says it is there (checked before the keys go). */
export type LegacyCopier<T = unknown> = { copy(value: T, key: string): void; landed?(value: T, key: string): boolean };

/** A copier of one old prefix, whose values all have the shape `T` that release wrote. */
export const copier = <T>(c: LegacyCopier<T>): LegacyCopier => c as LegacyCopier;

/** Moves each prefix's entries with its copier, in the order given; a prefix without one is only deleted. */
export async function moveLegacyKeys(
  host: Pick<RoomHost, "storage" | "id">,
  copiers: Record<string, LegacyCopier | null>,
  pageSize = 500,
): Promise<void> {
  const db = host.storage;
  for (const [prefix, move] of Object.entries(copiers)) {
    for (;;) {
      const page = await db.legacy.list({ prefix, limit: pageSize });
      if (page.size === 0) break;
      db.transaction(() => {
        if (!move) return;
        for (const [key, value] of page) move.copy(value, key);
        for (const [key, value] of page)
          if (move.landed && !move.landed(value, key)) throw new Error(`migração de ${host.id}: ${key} não foi copiado`);
      });
      await db.legacy.delete([...page.keys()]);
    }
  }
}
