/**
 * How the real runtime starts for tests, the bench and `npm start`
 * (tools/dev): a start that cannot succeed ends at once with its reason.
 * Seen in CI: workerd could not bind a port (another process had taken it
 * since it was found free), wrangler noted that only in its debug log and
 * kept waiting, and the SIP suite waited its whole 120 s start timeout for a
 * server that was never coming, then failed. The same silence followed a
 * runtime that failed to load.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startTestServer } from "../support/server";

const holders: Server[] = [];
afterAll(() => holders.forEach((s) => s.close()));

const takePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    holders.push(s);
    s.listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port));
  });

describe("the runtime's start", () => {
  it("a port another process holds ends the start with 'Address already in use', not a silent wait for the timeout", async () => {
    const port = await takePort();
    await expect(startTestServer({ port })).rejects.toThrow(/Address already in use/);
    // The start ended on its own, well inside this test's timeout (the start's own is 120 s).
  });

  it("a worker that fails to load ends the start with 'Workers runtime failed to start' (tried again, then given up), not a silent wait", async () => {
    // The real bundle, made to throw as it loads: workerd exits at start, as it does when it cannot bind.
    const dir = mkdtempSync(join(tmpdir(), "conversas-broken-"));
    try {
      const bundle = inject("workerBundle");
      writeFileSync(join(dir, "worker.js"), `throw new Error("quebrado de propósito");\n${readFileSync(bundle, "utf8")}`);
      copyFileSync(`${bundle}.map`, join(dir, "worker.js.map"));
      await expect(startTestServer({ bundle: join(dir, "worker.js") })).rejects.toThrow(/Workers runtime failed to start/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on a free port the same start answers", async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(`${server.base}/api/ping`);
      expect(res.headers.get("content-type")).toContain("application/json");
    } finally {
      await server.stop();
    }
  });
});
