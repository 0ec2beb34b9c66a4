/**
 * Issue 14 item 7: the client starts explicitly. Importing a store must do
 * nothing — no effect, listener, timer or socket at module level — so that
 * startApp's stop() can undo everything a session started. A text check of each
 * store (and of the softphone's wiring) for calls at the top level of the module.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, ".");
const files = [
  ...readdirSync(join(SRC, "stores"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join("stores", f)),
  "ui/calls/wiring.tsx",
  "ui/calls/loader.tsx",
];
const TOP_LEVEL_WIRING =
  /^(effect|addEventListener|document\.addEventListener|window\.addEventListener|setInterval|setTimeout|onChatFrame|onHub|onLeaving|onConversationUpdated|onConversationRemoved|onOtherTabWrite|openRoomSocket|Object\.assign)\(/m;

describe("the client starts explicitly (issue 14, item 7)", () => {
  it.each(files)("%s wires nothing at import time", (file) => {
    const source = readFileSync(join(SRC, file), "utf8");
    expect(source.match(TOP_LEVEL_WIRING)?.[0] ?? null).toBeNull();
  });

  it("stores never import ui", () => {
    for (const file of files.filter((f) => f.startsWith("stores/"))) {
      const source = readFileSync(join(SRC, file), "utf8");
      expect([file, /from "\.\.\/ui\//.test(source)]).toEqual([file, false]);
    }
  });
});
