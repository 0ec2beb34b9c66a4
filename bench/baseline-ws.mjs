/**
 * The baselines, two relays over raw `ws` that no real server can beat:
 *
 * - the raw relay: no auth, no validation, no storage;
 * - the persisted reference (issue 15): the same relay, but each message is
 *   inserted into SQLite (better-sqlite3, WAL, one transaction per message,
 *   `synchronous=NORMAL` or `FULL`) before it is acknowledged and broadcast —
 *   the least a server that never loses an acknowledged message must do.
 *
 * Peers on the same path share a room; on connect a peer gets a `chat.ready`,
 * and each `message.send` is acknowledged to its sender and forwarded as
 * `message.new` to the others, in the same frame shapes as the real chat room,
 * so the bench client cannot tell them apart. Each runs as its own process (as
 * the real server does) via `startBaseline()`; run directly it listens and
 * prints `listening <port>`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

/**
 * @param {number} port  0 for any free port
 * @param {{ file: string, synchronous: "NORMAL" | "FULL" } | null} persist
 */
async function serve(port, persist) {
  /** @type {((room: string, seq: number, clientId: string, text: string, at: number) => void) | null} */
  let store = null;
  if (persist) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(persist.file);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${persist.synchronous}`);
    db.exec(
      "CREATE TABLE IF NOT EXISTS messages (room TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room, seq))",
    );
    const insert = db.prepare("INSERT INTO messages (room, seq, client_id, text, created_at) VALUES (?, ?, ?, ?, ?)");
    store = (room, seq, clientId, text, at) => void insert.run(room, seq, clientId, text, at);
    process.once("SIGTERM", () => {
      db.close();
      process.exit(0);
    });
  }
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
      const createdAt = Date.now();
      const text = String(frame.text ?? "");
      try {
        store?.(room, seq, String(frame.clientId), text, createdAt);
      } catch (err) {
        ws.send(JSON.stringify({ type: "error", code: "internal", message: String(err) }));
        return;
      }
      seqs.set(room, seq);
      const message = { id: `${room}:${seq}`, seq, chatId: room, clientId: frame.clientId, senderId: "peer", text, createdAt };
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
 * Starts a baseline in a child process and waits until it listens.
 * @param {{ persist?: { file: string, synchronous: "NORMAL" | "FULL" } }} [opts]  without `persist`: the raw relay
 * @returns {Promise<{ port: number, pid: number, wsBase: string, stop(): Promise<void> }>}
 */
export function startBaseline(opts = {}) {
  const args = [fileURLToPath(import.meta.url), "0", ...(opts.persist ? [opts.persist.file, opts.persist.synchronous] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
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
        pid: /** @type {number} */ (child.pid),
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, file, synchronous] = process.argv.slice(2);
  const sync = synchronous === "FULL" ? "FULL" : "NORMAL";
  void serve(Number(port ?? 0), file ? { file, synchronous: sync } : null);
}
