/**
 * The Workers deployment (wrangler.toml + party/workers): that it builds with
 * the real wrangler, and a smoke test on the real `wrangler dev` (workerd,
 * local mode, offline) proving the same rooms answer there as on PartyKit —
 * sign-in, a direct message between two sockets, the edge refusing strangers,
 * and the web client served from web/dist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { OFFLINE_ENV, startWrangler, WRANGLER_BIN, type WranglerServer } from "../support/wrangler.mjs";
import { chatRoomId, directChatId, userRoomId } from "../../protocol";

type Frame = Record<string, any>;
const TENANT = "wk";
const PASSWORD = "senha-forte-123";

/** A socket that records frames, so a test can wait for the one it expects. */
function openSocket(url: string) {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  ws.on("message", (d) => {
    frames.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const refused = new Promise<number>((resolve) => ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  async function next(type: string, match: (f: Frame) => boolean = () => true, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = frames.find((f) => f.type === type && match(f));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  return { ws, frames, opened, refused, next };
}

async function api(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as any };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// The Workers build serves web/dist, so build it first (as `npm run build` does).
beforeAll(() => {
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "build-web.mjs")], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
});

describe("Workers build", () => {
  it("wrangler deploy --dry-run bundles the worker with the three rooms, the R2 bucket and the web client", () => {
    const outdir = mkdtempSync(join(tmpdir(), "conversas-bundle-"));
    try {
      const run = spawnSync(process.execPath, [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", outdir], {
        cwd: ROOT,
        env: OFFLINE_ENV,
        encoding: "utf8",
        timeout: 120_000,
      });
      const out = `${run.stdout}\n${run.stderr}`;
      expect(run.status, out).toBe(0);
      for (const binding of [
        "env.Directory (Directory)",
        "env.Chat (Chat)",
        "env.User (User)",
        "env.FILES (conversas-files)",
        "env.ASSETS",
      ]) {
        expect(out).toContain(binding);
      }
      expect(out).toMatch(/Read \d+ files from the assets directory .*web\/dist/);
      const bundle = join(outdir, "index.js");
      expect(existsSync(bundle)).toBe(true);
      expect(readFileSync(bundle, "utf8")).toMatch(/export\s*\{[^}]*\bDirectory\b[^}]*\}/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("wrangler dev smoke test", () => {
  let server: WranglerServer;
  const started = Date.now();

  beforeAll(async () => {
    server = await startWrangler({ quiet: true });
    console.log(`wrangler dev up in ${Date.now() - started} ms`);
    for (const id of ["alice", "beto", "caio"]) {
      const res = await api(`${server.base}/api/tenants/${TENANT}/users/${id}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          login: id,
          name: `Usuário ${id}`,
          email: `${id}@example.com`,
          department: "Testes",
          modules: ["conversas"],
          enabled: true,
          password: PASSWORD,
        }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function signIn(login: string): Promise<string> {
    const res = await api(`${server.base}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant: TENANT, login, password: PASSWORD }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.token as string;
  }

  it("R1: a wrong password is refused on Workers too", async () => {
    const res = await api(`${server.base}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant: TENANT, login: "alice", password: "errada-123456" }),
    });
    expect(res.status).toBe(401);
    expect(res.body.token).toBeUndefined();
  });

  it("R8/R7: two signed-in users exchange a direct message (ack to the sender, message.new to the other, the inbox of the other updated)", async () => {
    const [alice, beto] = [await signIn("alice"), await signIn("beto")];
    const room = chatRoomId(TENANT, directChatId("alice", "beto"));
    const a = openSocket(`${server.wsBase}/parties/chat/${room}?token=${alice}`);
    const b = openSocket(`${server.wsBase}/parties/chat/${room}?token=${beto}`);
    const inbox = openSocket(`${server.wsBase}/parties/user/${userRoomId(TENANT, "beto")}?token=${beto}`);
    try {
      await Promise.all([a.opened, b.opened, inbox.opened]);
      await inbox.next("inbox.snapshot");
      const readyA = await a.next("chat.ready");
      await b.next("chat.ready");
      // The room saw its own id as its name: the chat id and members come from it.
      expect(readyA.chatId).toBe(directChatId("alice", "beto"));
      expect([...readyA.members].sort()).toEqual(["alice", "beto"]);

      a.ws.send(JSON.stringify({ type: "message.send", clientId: "smoke-0001", text: "Olá do Workers" }));
      const ack = await a.next("message.ack");
      const got = await b.next("message.new");
      expect(ack.clientId).toBe("smoke-0001");
      expect(got.message.text).toBe("Olá do Workers");
      expect(got.message.seq).toBe(ack.message.seq);
      expect(a.frames.some((f) => f.type === "message.new" && f.message.seq === ack.message.seq)).toBe(false);
      // The chat room reached the user room through its Durable Object binding.
      const update = await inbox.next("inbox.update", (f) => f.conversation.lastMessage !== null);
      expect(update.conversation).toMatchObject({ chatId: directChatId("alice", "beto"), peerId: "alice" });
      expect(update.conversation.lastMessage).toMatchObject({ seq: ack.message.seq, senderId: "alice", text: "Olá do Workers" });
    } finally {
      a.ws.close();
      b.ws.close();
      inbox.ws.close();
    }
  });

  it("R1: a socket or room request without a token is refused with 401 before reaching the room", async () => {
    const room = chatRoomId(TENANT, directChatId("alice", "beto"));
    const s = openSocket(`${server.wsBase}/parties/chat/${room}`);
    s.opened.catch(() => {});
    expect(await s.refused).toBe(401);
    const res = await fetch(`${server.base}/parties/chat/${room}/messages`);
    expect(res.status).toBe(401);
  });

  it("R1: a signed-in user cannot open another pair's direct chat (403 at the edge)", async () => {
    const caio = await signIn("caio");
    const s = openSocket(`${server.wsBase}/parties/chat/${chatRoomId(TENANT, directChatId("alice", "beto"))}?token=${caio}`);
    s.opened.catch(() => {});
    expect(await s.refused).toBe(403);
  });

  it("serves the web client's index.html at / and for client-side routes", async () => {
    const built = readFileSync(join(ROOT, "web", "dist", "index.html"), "utf8");
    for (const path of ["/", "/chats/algum"]) {
      const res = await fetch(`${server.base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(built);
    }
    const entryPath = /<script type="module" src="([^"]+)"/.exec(built)?.[1];
    expect(entryPath).toBeTruthy();
    const entry = await fetch(`${server.base}${entryPath}`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toContain("javascript");
  });
});
