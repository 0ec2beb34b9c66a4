/**
 * The real server as a bench target: provisions bench users through the public
 * admin API, signs them in, and says where each socket goes — as the web client
 * would, through the public HTTP API and the real edge.
 *
 * Two protocols, so the same scenarios measure today's server and the previous
 * release (`--previous`, bench/previous.mjs):
 * - `current`: the access token rides in the WebSocket subprotocol
 *   (`conversas`, `conversas.frames` as the app offers it, `bearer.<token>`), and an app holds one socket to its company's
 *   hub (`/parties/hub/<tenant>`: presence, the live conversation list, search);
 * - `previous` (partykit dev): the token in `?token=`, the conversation list on
 *   the user's own room (`/parties/user/<tenant>.<user>`), presence on the
 *   company's directory room.
 * Access tokens live 30 minutes today, so a token older than 20 minutes is
 * replaced by a fresh sign-in before a socket is opened with it.
 */

export const BENCH_TENANT = "bench";

/**
 * How many requests wrangler dev answered with 503 "Your worker restarted
 * mid-request" (it restarts the worker now and then; it retries GETs itself)
 * and were sent again. Reported with the results.
 */
export const restarts = { seen: 0 };

/**
 * `fetch`, sending a request again (three times at most) when wrangler dev says the
 * worker restarted under it. Every call here is idempotent (upserts, sign-ins) or
 * checked by its caller.
 * @param {string} url  @param {RequestInit} init  @returns {Promise<Response>}
 */
export async function fetchResent(url, init) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 503 || attempt >= 3) return res;
    const text = await res.text();
    if (!/restarted mid-request/.test(text)) return new Response(text, { status: res.status, headers: res.headers });
    restarts.seen += 1;
    await new Promise((r) => setTimeout(r, 300));
  }
}
const PASSWORD = "bench-password-123";
const TOKEN_MAX_AGE_MS = 20 * 60_000;

/** @typedef {import("./client.mjs").Endpoint} Endpoint */
/** @typedef {"current" | "previous"} Flavor */
/** @typedef {{ base: string, wsBase: string, adminKey?: string }} Server */

/**
 * @param {string} base  @param {string} adminKey  @param {string} id
 * @param {{ password?: boolean, tenant?: string }} [opts] `password: false`: a member who never signs in (no hash to compute)
 */
export async function provisionUser(base, adminKey, id, opts = {}) {
  const res = await fetchResent(`${base}/api/tenants/${opts.tenant ?? BENCH_TENANT}/users/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      login: id,
      name: `Bench ${id}`,
      email: `${id}@bench.conversas.local`,
      department: "Bench",
      modules: ["conversas"],
      enabled: true,
      ...(opts.password === false ? {} : { password: PASSWORD }),
    }),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`provision ${id}: ${res.status} ${await res.text()}`);
}

/**
 * @param {string} base  @param {string} login  @param {string} [tenant]
 * @returns {Promise<string>} the access token
 */
export async function signIn(base, login, tenant = BENCH_TENANT) {
  const res = await fetchResent(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant, login, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const body = /** @type {{ token: string }} */ (await res.json());
  return body.token;
}

/**
 * The chat room id of the direct chat between `a` and `b` (ids sorted, as
 * protocol/ids.ts `directChatId` does). The baselines serve the same paths.
 * @param {string} a  @param {string} b  @param {string} [tenant]
 */
export function directRoomId(a, b, tenant = BENCH_TENANT) {
  const [x, y] = a < b ? [a, b] : [b, a];
  return `${tenant}.dm.${x}.${y}`;
}

/** @param {string} a  @param {string} b */
export function directChatPath(a, b) {
  return `/parties/chat/${directRoomId(a, b)}`;
}

/**
 * Runs `fn` over `items`, `width` at a time.
 * @template T, R  @param {T[]} items  @param {number} width  @param {(t: T, i: number) => Promise<R>} fn  @returns {Promise<R[]>}
 */
export async function inBatches(items, width, fn) {
  /** @type {R[]} */
  const out = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map((t, k) => fn(t, i + k)))));
  return out;
}

export class Target {
  /**
   * @param {Server} server  @param {Flavor} [flavor]  @param {string} [tenant]
   */
  constructor(server, flavor = "current", tenant = BENCH_TENANT) {
    if (!server.adminKey) throw new Error("the server was started without an admin key");
    this.server = server;
    this.flavor = flavor;
    this.tenant = tenant;
    /** @type {Map<string, { token: string, at: number }>} */
    this.tokens = new Map();
    /** @type {Set<string>} */
    this.known = new Set();
  }

  /** Points the target at a restarted server (same state and secrets: tokens stay valid). @param {Server} server */
  moveTo(server) {
    this.server = server;
  }

  /**
   * Provisions the users not provisioned yet (ten at a time: each with a
   * password is a PBKDF2 hash on the server) and signs in those who may.
   * @param {string[]} ids  @param {{ password?: boolean, signIn?: boolean }} [opts]
   */
  async users(ids, opts = {}) {
    const fresh = ids.filter((id) => !this.known.has(id));
    await inBatches(fresh, 10, (id) =>
      provisionUser(this.server.base, /** @type {string} */ (this.server.adminKey), id, { password: opts.password, tenant: this.tenant }),
    );
    for (const id of fresh) this.known.add(id);
    if (opts.password !== false && opts.signIn !== false) await inBatches(ids, 10, (id) => this.token(id));
  }

  /** A valid access token for `id` (a fresh sign-in when the last is old). @param {string} id */
  async token(id) {
    const had = this.tokens.get(id);
    if (had && Date.now() - had.at < TOKEN_MAX_AGE_MS) return had.token;
    const token = await signIn(this.server.base, id, this.tenant);
    this.tokens.set(id, { token, at: Date.now() });
    return token;
  }

  /** @param {string} path  @param {string} token  @returns {Endpoint} */
  endpoint(path, token) {
    return this.flavor === "current"
      ? { url: `${this.server.wsBase}${path}`, protocols: ["conversas", "conversas.frames", `bearer.${token}`] }
      : { url: `${this.server.wsBase}${path}?token=${encodeURIComponent(token)}` };
  }

  /** The socket `user` opens to a chat room. @param {string} user  @param {string} roomId  @returns {Promise<Endpoint>} */
  async chat(user, roomId) {
    return this.endpoint(`/parties/chat/${roomId}`, await this.token(user));
  }

  /** @param {string} user  @param {string} peer */
  direct(user, peer) {
    return this.chat(user, directRoomId(user, peer, this.tenant));
  }

  /**
   * The app's socket that carries `user`'s live conversation list (and, today,
   * presence and search): its first frame of interest is `inbox.snapshot`.
   * @param {string} user  @returns {Promise<Endpoint>}
   */
  async app(user) {
    const token = await this.token(user);
    return this.flavor === "current"
      ? this.endpoint(`/parties/hub/${this.tenant}`, token)
      : this.endpoint(`/parties/user/${this.tenant}.${user}`, token);
  }

  /** The socket on which `user` watches everyone's presence; first frame `presence.snapshot`. @param {string} user */
  async presence(user) {
    const token = await this.token(user);
    return this.flavor === "current"
      ? this.endpoint(`/parties/hub/${this.tenant}`, token)
      : this.endpoint(`/parties/directory/${this.tenant}`, token);
  }

  /**
   * Creates a group of `creator` with `members` through the public API.
   * @param {string} creator  @param {string[]} members  @param {string} name  @returns {Promise<string>} the chat id
   */
  async createGroup(creator, members, name) {
    const res = await fetchResent(`${this.server.base}/api/tenants/${this.tenant}/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${await this.token(creator)}`, "content-type": "application/json" },
      body: JSON.stringify({ name, members }),
    });
    if (res.status !== 201) throw new Error(`group create: ${res.status} ${await res.text()}`);
    return /** @type {{ chatId: string }} */ (await res.json()).chatId;
  }

  /** @param {string} chatId */
  roomId(chatId) {
    return `${this.tenant}.${chatId}`;
  }
}
