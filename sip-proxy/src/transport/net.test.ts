import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { bindBoth } from "./net";

/** A server whose listen fails as if the port were taken over TCP. */
function taken(): Server {
  const fake = new EventEmitter() as unknown as Server;
  (fake as unknown as { listen: () => void }).listen = () =>
    queueMicrotask(() => fake.emit("error", Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" })));
  return fake;
}

describe("SIP on UDP and TCP on one port", () => {
  it("asked for any port, a port whose TCP side is taken is given up for another, both bound on the same number", async () => {
    let calls = 0;
    const { udp, server } = await bindBoth("127.0.0.1", 0, () => (++calls === 1 ? taken() : createServer()));
    try {
      expect(calls).toBe(2);
      const tcp = server.address();
      expect(typeof tcp === "object" && tcp?.port).toBe(udp.address().port);
    } finally {
      udp.close();
      server.close();
    }
  });

  it("a port given explicitly is not changed: a taken one fails at once", async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(bindBoth("127.0.0.1", port, () => createServer())).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      holder.close();
    }
  });
});
