/**
 * Issue 12.7 against the real runtime: one person flooding a chat is told
 * `rate_limited`, then closed with 1008 after every reconnect, while another
 * member's round trips stay within 2× of unloaded. That comparison is a latency
 * measure, so this file runs alone (vitest.config.ts: beside three other files'
 * servers on 2 cores, a flood's CPU made everyone slow, not just the room).
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { startTestServer } from "../support/server";
import { cid, openChat, provision, roomUrl } from "../support/clients";

/**
 * One socket flooding a chat from a child process: resolves `started` once its socket is open;
 * `pause()` / `resume()` hold the flood back and let it go again (the socket stays); `stop()`
 * resolves with whether it saw rate_limited and the close frames' codes.
 */
function floodFrom(url: string, token: string) {
  // Connects, floods as fast as the connection takes frames (a sender's kernel pushes back the same
  // way), and when closed connects again, until told to stop (SIGTERM); then prints what it saw.
  const script = `
    import WebSocket from "ws";
    const [url, token] = process.argv.slice(-2);
    let rateLimited = false, closeCodes = [], sent = 0, stopping = false, paused = false;
    process.stdin.on("data", (d) => { for (const c of d.toString()) if (c === "p") paused = true; else if (c === "r") paused = false; });
    const round = () => {
      const ws = new WebSocket(url, ["conversas", "bearer." + token]);
      ws.on("message", (d) => {
        const f = JSON.parse(d.toString());
        if (f.type === "error" && f.code === "rate_limited") rateLimited = true;
        if (f.type === "close") { closeCodes.push(f.code); ws.terminate(); }
      });
      ws.on("open", async () => {
        process.stdout.write("open\\n");
        while (ws.readyState === WebSocket.OPEN && !stopping) {
          ws.send(JSON.stringify({ type: "message.send", clientId: "flood-" + sent, text: "inundação " + sent++ }));
          if (sent % 50 === 0) await new Promise((r) => (ws.bufferedAmount > 256 * 1024 ? setTimeout(r, 5) : setImmediate(r)));
          while (paused && !stopping) await new Promise((r) => setTimeout(r, 5));
        }
      });
      ws.on("error", () => {});
      ws.on("close", () => (stopping ? finish() : setTimeout(round, 20)));
    };
    const finish = () => { process.stdout.write(JSON.stringify({ rateLimited, closeCodes, sent }) + "\\n"); process.exit(0); };
    process.on("SIGTERM", () => { stopping = true; setTimeout(finish, 200); });
    round();
    setTimeout(() => process.exit(2), 60_000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, url, token], {
    cwd: process.cwd(),
    stdio: ["pipe", "pipe", "inherit"],
  });
  // A pause or resume written after the child has gone must not take the test down (its exit says what happened).
  child.stdin.on("error", () => {});
  let out = "";
  let onOpen: () => void;
  const started = new Promise<void>((r) => (onOpen = r));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("open\n")) onOpen();
  });
  const exited = new Promise<{ rateLimited: boolean; closeCodes: number[]; sent: number }>((resolve, reject) =>
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last));
      else reject(new Error(`flood process exited ${code}: ${out.slice(-500)}`));
    }),
  );
  const stop = () => {
    child.kill("SIGTERM");
    return exited;
  };
  return { started, stop, pause: () => child.stdin.write("p"), resume: () => child.stdin.write("r") };
}

describe("issue 12.7 frame limits", () => {
  it("issue 12.7: a flood from one socket gets rate_limited, is closed with 1008, and the other member's latency stays within 2× unloaded", async () => {
    const limited = await startTestServer({ productionLimits: true });
    try {
      const t = await provision(limited.base, limited.adminKey!, "acme", ["ana", "bruno"]);
      const { client: bruno } = await openChat(limited.wsBase, "acme.dm.ana.bruno", t.bruno!);
      const { client: brunoPeer } = await openChat(limited.wsBase, "acme.dm.ana.bruno", t.bruno!);
      const roundTrip = async () => {
        const clientId = cid();
        const t0 = performance.now();
        bruno.send({ type: "message.send", clientId, text: "medindo" });
        await bruno.next((f) => f.type === "message.ack" && f.clientId === clientId, 10_000);
        await brunoPeer.next((f) => f.type === "message.new" && f.message.clientId === clientId, 10_000);
        return performance.now() - t0;
      };
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const pause = () => new Promise((r) => setTimeout(r, 120));
      // The flood runs in a process of its own, so the measuring client's event loop is not the one flooding.
      const flood = floodFrom(roomUrl(limited.wsBase, "chat", "acme.dm.ana.bruno"), t.ana!);
      await flood.started;
      // Unloaded and loaded samples taken in turns, the flood held back for the one and let go for the other:
      // whatever else this machine runs meanwhile (other test files' servers) weighs on both alike.
      const unloaded: number[] = [];
      const loaded: number[] = [];
      for (let i = 0; i < 15; i++) {
        flood.pause();
        await pause();
        unloaded.push(await roundTrip());
        flood.resume();
        await pause();
        loaded.push(await roundTrip());
      }
      const seen = await flood.stop();
      expect(seen.rateLimited).toBe(true);
      // Closed for abuse, again after every reconnect: the budget is the person's, not the socket's.
      expect(seen.closeCodes.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
      expect(new Set(seen.closeCodes)).toEqual(new Set([1008]));
      expect(
        median(loaded),
        `unloaded ${unloaded.map((x) => x.toFixed(1))} / loaded ${loaded.map((x) => x.toFixed(1))}`,
      ).toBeLessThanOrEqual(Math.max(2 * median(unloaded), median(unloaded) + 10));
      await Promise.allSettled([bruno.close(), brunoPeer.close()]);
    } finally {
      await limited.stop();
    }
  });
});
