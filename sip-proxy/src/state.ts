/**
 * The one thing the proxy keeps across runs (issue 16.4): the registrations it
 * holds at the PBX on the browsers' behalf, each as the REGISTER the PBX accepted
 * and whose it was. After a crash the next start withdraws them (Expires: 0), so
 * the PBX stops ringing contacts nobody answers; browsers register again by
 * themselves when they reconnect. Written whole on each change (write to a
 * temporary file, then rename: never half a file), at most one write at a time.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as v from "valibot";
import type { SavedBinding } from "./routing/proxy";

const Saved = v.object({
  version: v.literal(1),
  bindings: v.array(
    v.object({
      caller: v.object({ tenant: v.string(), userId: v.string(), extension: v.nullable(v.string()) }),
      register: v.string(),
    }),
  ),
});

export class StateFile {
  private writing: Promise<void> | null = null;
  private next: SavedBinding[] | null = null;

  constructor(
    private readonly path: string,
    private readonly log: (line: string) => void,
  ) {}

  /** What a previous run left; nothing when there is no file or it cannot be read (said in the log). */
  load(): SavedBinding[] {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch {
      return [];
    }
    let data: unknown = null;
    try {
      data = JSON.parse(text);
    } catch {
      /* reported below */
    }
    const r = v.safeParse(Saved, data);
    if (!r.success) {
      this.log(`state file ${this.path} unreadable; ignored`);
      return [];
    }
    return r.output.bindings;
  }

  save(bindings: SavedBinding[]): Promise<void> {
    this.next = bindings;
    this.writing ??= this.flush().finally(() => (this.writing = null));
    return this.writing;
  }

  private async flush(): Promise<void> {
    while (this.next) {
      const bindings = this.next;
      this.next = null;
      const body = JSON.stringify({
        version: 1,
        bindings: bindings.map((b) => ({
          caller: { tenant: b.caller.tenant, userId: b.caller.userId, extension: b.caller.extension },
          register: b.register,
        })),
      });
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        const tmp = `${this.path}.${process.pid}.tmp`;
        await writeFile(tmp, body, { mode: 0o600 });
        await rename(tmp, this.path);
      } catch (e) {
        this.log(`state file ${this.path}: ${(e as Error).message}`);
      }
    }
  }
}
