/**
 * Client helpers for the integration tests: the public HTTP API (admin upserts,
 * sign-in) and a WebSocket wrapper that records every frame so a test can wait
 * for the one it expects, see the HTTP status of a refused upgrade, and read the
 * close code. Built on `ws`, the same wire a browser speaks: the access token
 * rides in the subprotocol (`conversas`, `bearer.<token>`), never in the address.
 */
import WebSocket from "ws";

export type Json = Record<string, any>;

export type UserInput = {
  login?: string;
  name?: string;
  email?: string;
  department?: string;
  extension?: string | null;
  modules?: string[];
  enabled?: boolean;
  password?: string;
};

export const PASSWORD = "senha-forte-123";

export function userBody(id: string, over: UserInput = {}): Json {
  return {
    login: id,
    name: `Usuário ${id}`,
    email: `${id}@example.com`,
    department: "Testes",
    extension: null,
    modules: ["conversas"],
    enabled: true,
    password: PASSWORD,
    ...over,
  };
}

export type Http = { status: number; body: any; text: string };

export async function http(url: string, init: RequestInit = {}): Promise<Http> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: tests look at text */
  }
  return { status: res.status, body, text };
}

export function putUser(base: string, adminKey: string, tenant: string, id: string, body: unknown): Promise<Http> {
  return http(`${base}/api/tenants/${tenant}/users/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function login(base: string, tenant: string, loginName: string, password = PASSWORD): Promise<Http> {
  return http(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant, login: loginName, password }),
  });
}

/** Creates the users (enabled, default password) and returns an access token per id. */
export async function provision(base: string, adminKey: string, tenant: string, ids: string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const id of ids) {
    const put = await putUser(base, adminKey, tenant, id, userBody(id));
    if (put.status !== 201 && put.status !== 200) throw new Error(`PUT ${tenant}/${id}: ${put.status} ${put.text}`);
    const res = await login(base, tenant, id);
    if (res.status !== 200) throw new Error(`login ${tenant}/${id}: ${res.status} ${res.text}`);
    tokens[id] = res.body.token;
  }
  return tokens;
}

export function roomUrl(wsBase: string, party: string, roomId: string): string {
  return `${wsBase}/parties/${party}/${roomId}`;
}

/** The subprotocols an app socket offers, as the app does: the protocol, frames taken together, and its access token beside them. */
export function authProtocols(token: string | null): string[] {
  return token === null ? ["conversas", "conversas.frames"] : ["conversas", "conversas.frames", `bearer.${token}`];
}

export class Client {
  readonly frames: Json[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { pred: (f: Json) => boolean; resolve: (f: Json) => void }[] = [];
  /** Frames already handed to a `next` caller: each frame satisfies one wait only. */
  private consumed = new WeakSet<Json>();

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const got = JSON.parse(data.toString()) as Json;
      // Several frames may come as one (`frames`): each is a frame of its own here, as in the app.
      for (const frame of got.type === "frames" ? (got.frames as Json[]) : [got]) {
        // The server says it is closing this socket: close from this side at once, as the app does.
        if (frame.type === "close") ws.close(frame.code, frame.reason);
        this.frames.push(frame);
        const i = this.waiters.findIndex((w) => w.pred(frame));
        if (i >= 0) {
          this.consumed.add(frame);
          this.waiters.splice(i, 1)[0]!.resolve(frame);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for the oldest frame matching `pred` that no earlier wait took, including frames already received. */
  next(pred: (f: Json) => boolean, timeoutMs = 10_000, what = "frame"): Promise<Json> {
    const ready = this.frames.find((f) => !this.consumed.has(f) && pred(f));
    if (ready) {
      this.consumed.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (f: Json) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; last frames ${JSON.stringify(this.frames.slice(-3)).slice(0, 600)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  nextOfType(type: string, timeoutMs?: number): Promise<Json> {
    return this.next((f) => f.type === type, timeoutMs, type);
  }

  /** Closes politely; a peer that never answers the close frame is cut off after `graceMs` (and reported). */
  async close(graceMs = 5000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000, "test done");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    if ((await Promise.race([this.closed, late])) === "late") {
      console.warn(`no close handshake from ${this.ws.url} within ${graceMs} ms; terminating`);
      this.ws.terminate();
    }
    clearTimeout(timer);
  }
}

/** Opens a socket; resolves with the client once open, or with the HTTP status of a refused upgrade. */
export function connect(url: string, token: string | null): Promise<{ client: Client } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, authProtocols(token));
    const client = new Client(ws);
    ws.once("open", () => resolve({ client }));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once("error", (err) => reject(err));
  });
}

/** Opens a socket that must be accepted. */
export async function open(url: string, token: string | null): Promise<Client> {
  const r = await connect(url, token);
  if (!("client" in r)) throw new Error(`upgrade refused with ${r.status}: ${r.body}`);
  return r.client;
}

/** Opens a chat socket and waits for its `chat.ready`. */
export async function openChat(wsBase: string, roomId: string, token: string): Promise<{ client: Client; ready: Json }> {
  const client = await open(roomUrl(wsBase, "chat", roomId), token);
  const ready = await client.next((f) => f.type === "chat.ready" || f.type === "error", 15_000, "chat.ready");
  if (ready.type !== "chat.ready") throw new Error(`chat refused: ${JSON.stringify(ready)}`);
  return { client, ready };
}

/**
 * The app's socket to its company's hub (presence, live list, search, calls):
 * waits for the presence snapshot and the list's snapshot.
 */
export async function openHub(wsBase: string, tenant: string, token: string): Promise<{ client: Client; inbox: Json; presence: Json }> {
  const client = await open(roomUrl(wsBase, "hub", tenant), token);
  const presence = await client.next((f) => f.type === "presence.snapshot" || f.type === "error", 15_000, "presence.snapshot");
  if (presence.type !== "presence.snapshot") throw new Error(`hub refused: ${JSON.stringify(presence)}`);
  const inbox = await client.next((f) => f.type === "inbox.snapshot" || f.type === "error", 15_000, "inbox.snapshot");
  if (inbox.type !== "inbox.snapshot") throw new Error(`hub refused: ${JSON.stringify(inbox)}`);
  return { client, inbox, presence };
}

/** Status of an upgrade attempt: the HTTP status when refused, 101 when it opened (the socket is closed again). */
export async function upgradeStatus(url: string, token: string | null): Promise<number> {
  const r = await connect(url, token);
  if ("status" in r) return r.status;
  await r.client.close();
  return 101;
}

let counter = 0;
/** A fresh, valid clientId. */
export function cid(prefix = "c"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
