/**
 * The runtime's floor (issue 15): the least a relay on workerd can do, so the
 * bench can say how much of Conversas' time is the runtime and how much is ours.
 * One SQLite-backed Durable Object per chat path, hibernatable sockets; each
 * `message.send` is inserted into the object's SQLite (one statement) before it
 * is acknowledged and broadcast — the persisted reference's work, on the same
 * workerd (through Miniflare, no proxy) and the same compatibility date as the
 * rooms. No auth, no validation, no lists. Same frame shapes as the baselines
 * (baseline-ws.mjs), so the bench client cannot tell them apart.
 *
 * `startFloor()` runs it in a child process (its own process group, stopped by
 * pid), as tools/dev/miniflare.mjs runs the rooms.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../tools/dev/runtime.mjs";
import { freePort } from "../tools/dev/process.mjs";

const HERE = fileURLToPath(import.meta.url);

/** The worker, as module source: a router and the Durable Object class. */
const WORKER = `
import { DurableObject } from "cloudflare:workers";
export class Floor extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL)");
    this.seq = this.sql.exec("SELECT coalesce(max(seq), 0) AS s FROM messages").one().s;
  }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "chat.ready", chatId: "floor", members: [], lastSeq: this.seq, messages: [], hasMore: false }));
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, data) {
    const frame = JSON.parse(data);
    if (frame.type !== "message.send") return;
    const seq = this.seq + 1;
    const createdAt = Date.now();
    const text = String(frame.text ?? "");
    this.sql.exec("INSERT INTO messages (seq, client_id, text, created_at) VALUES (?, ?, ?, ?)", seq, String(frame.clientId), text, createdAt);
    this.seq = seq;
    const message = { id: "floor:" + seq, seq, chatId: "floor", clientId: frame.clientId, senderId: "peer", text, createdAt };
    ws.send(JSON.stringify({ type: "message.ack", clientId: frame.clientId, message }));
    const out = JSON.stringify({ type: "message.new", message });
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(out);
  }
  webSocketClose(ws, code) {
    try { ws.close(code); } catch {}
  }
}
export class Relay extends DurableObject {
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "chat.ready", chatId: "relay", members: [], lastSeq: 0, messages: [], hasMore: false }));
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, data) {
    const frame = JSON.parse(data);
    if (frame.type !== "message.send") return;
    this.seq = (this.seq ?? 0) + 1;
    const message = { id: "relay:" + this.seq, seq: this.seq, chatId: "relay", clientId: frame.clientId, senderId: "peer", text: String(frame.text ?? ""), createdAt: Date.now() };
    ws.send(JSON.stringify({ type: "message.ack", clientId: frame.clientId, message }));
    const out = JSON.stringify({ type: "message.new", message });
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(out);
  }
  webSocketClose(ws, code) {
    try { ws.close(code); } catch {}
  }
}
export default {
  fetch(req, env) {
    const path = new URL(req.url).pathname;
    const ns = path.startsWith("/relay/") ? env.RELAY : env.FLOOR;
    return ns.get(ns.idFromName(path)).fetch(req);
  },
};
`;

/** The child: Miniflare with the floor worker on `port`, state under `persist`. @param {number} port  @param {string} persist */
async function serve(port, persist) {
  const { Miniflare, Log, LogLevel } = await import("miniflare");
  const toml = (await import("node:fs")).readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(toml)?.[1];
  const mf = new Miniflare({
    host: "127.0.0.1",
    port,
    log: new Log(LogLevel.WARN),
    modules: true,
    script: WORKER,
    compatibilityDate,
    durableObjects: { FLOOR: { className: "Floor", useSQLite: true }, RELAY: { className: "Relay", useSQLite: true } },
    defaultPersistRoot: persist,
  });
  await mf.ready;
  process.stdout.write(`listening ${port}\n`);
  const stop = () => void mf.dispose().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * @param {string} persist  a folder for the Durable Object's SQLite
 * @returns {Promise<{ port: number, pid: number, wsBase: string, stop(): Promise<void> }>}
 */
export async function startFloor(persist) {
  const port = await freePort();
  const child = spawn(process.execPath, [HERE, String(port), persist], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error("the workerd floor did not start within 60 s"));
    }, 60_000);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      if (!out.includes("listening")) return;
      clearTimeout(timer);
      resolve(undefined);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the workerd floor exited early (${code})`));
    });
  });
  return { port, pid: /** @type {number} */ (child.pid), wsBase: `ws://127.0.0.1:${port}`, stop };
}

if (process.argv[1] === HERE) {
  serve(Number(process.argv[2]), /** @type {string} */ (process.argv[3])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
