/**
 * The baseline: the least a chat relay can do over raw `ws` — no auth, no
 * validation, no storage. Peers on the same path share a room; on connect a peer
 * gets a `chat.ready`, and each `message.send` is acknowledged to its sender and
 * forwarded as `message.new` to the others, in the same frame shapes as the real
 * chat room, so the bench client cannot tell the two apart. It runs as its own
 * process (as partykit dev does) via `startBaseline()`; run directly it listens
 * and prints `listening <port>`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

/** @param {number} port  0 for any free port */
function serve(port) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  /** @type {Map<string, Set<import("ws").WebSocket>>} */
  const rooms = new Map();
  /** @type {Map<string, number>} */
  const seqs = new Map();
  wss.on("connection", (ws, req) => {
    const room = req.url ?? "/";
    let peers = rooms.get(room);
    if (!peers) rooms.set(room, (peers = new Set()));
    peers.add(ws);
    ws.send(JSON.stringify({ type: "chat.ready", chatId: room, members: [], lastSeq: seqs.get(room) ?? 0, messages: [], hasMore: false }));
    ws.on("message", (data) => {
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ type: "error", code: "invalid_frame", message: "not JSON" }));
        return;
      }
      if (frame?.type !== "message.send") return;
      const seq = (seqs.get(room) ?? 0) + 1;
      seqs.set(room, seq);
      const message = {
        id: `${room}:${seq}`,
        seq,
        chatId: room,
        clientId: frame.clientId,
        senderId: "peer",
        text: frame.text,
        createdAt: Date.now(),
      };
      ws.send(JSON.stringify({ type: "message.ack", clientId: frame.clientId, message }));
      const out = JSON.stringify({ type: "message.new", message });
      for (const other of /** @type {Set<import("ws").WebSocket>} */ (peers)) if (other !== ws) other.send(out);
    });
    ws.on("close", () => peers?.delete(ws));
  });
  wss.on("listening", () => {
    const addr = wss.address();
    process.stdout.write(`listening ${addr && typeof addr === "object" ? addr.port : addr}\n`);
  });
}

/**
 * Starts the baseline in a child process and waits until it listens.
 * @returns {Promise<{ port: number, wsBase: string, stop(): Promise<void> }>}
 */
export function startBaseline() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("baseline did not start within 10 s"));
    }, 10_000);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({
        port,
        wsBase: `ws://127.0.0.1:${port}`,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline exited early (${code})`));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(Number(process.argv[2] ?? 0));
