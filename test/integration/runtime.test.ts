/**
 * How the real runtime starts for tests, the bench and `npm start`
 * (tools/dev): a start that cannot succeed ends at once with its reason.
 * Seen in CI: workerd could not bind a port (another process had taken it
 * since it was found free), wrangler noted that only in its debug log and
 * kept waiting, and the SIP suite waited its whole 120 s start timeout for a
 * server that was never coming, then failed.
 */
import { createServer, type Server } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/server";

const taken: Server[] = [];
afterAll(() => taken.forEach((s) => s.close()));

const takePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    taken.push(s);
    s.listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port));
  });

describe("the runtime's start", () => {
  it("a port another process holds ends the start with 'Address already in use', not a silent wait for the timeout", async () => {
    const port = await takePort();
    await expect(startTestServer({ port })).rejects.toThrow(/Address already in use/);
    // The start ended on its own, well inside this test's timeout (the start's own is 120 s).
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
