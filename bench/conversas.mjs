/**
 * The real server as a bench target: provisions bench users through the public
 * admin API, signs them in, and builds the chat-room WebSocket URLs (with the
 * session token) that the scenarios open. Everything goes through the public
 * HTTP API and the real edge, as the web client would.
 */

export const BENCH_TENANT = "bench";
const PASSWORD = "bench-password-123";

/**
 * @param {string} base  http://127.0.0.1:<port>
 * @param {string} adminKey
 * @param {string[]} ids
 */
export async function provisionUsers(base, adminKey, ids) {
  for (const id of ids) {
    const res = await fetch(`${base}/api/tenants/${BENCH_TENANT}/users/${id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        login: id,
        name: `Bench ${id}`,
        email: `${id}@bench.conversas.local`,
        department: "Bench",
        modules: ["conversas"],
        enabled: true,
        password: PASSWORD,
      }),
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`provision ${id}: ${res.status} ${await res.text()}`);
  }
}

/**
 * @param {string} base
 * @param {string} login
 * @returns {Promise<string>} the session token
 */
export async function signIn(base, login) {
  const res = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: BENCH_TENANT, login, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const body = /** @type {{ token: string }} */ (await res.json());
  return body.token;
}

/**
 * The chat room path of the direct chat between `a` and `b` (ids sorted, as
 * protocol/ids.ts `directChatId` does). The baseline serves the same paths.
 * @param {string} a
 * @param {string} b
 */
export function directChatPath(a, b) {
  const [x, y] = a < b ? [a, b] : [b, a];
  return `/parties/chat/${BENCH_TENANT}.dm.${x}.${y}`;
}

/**
 * Starts nothing: given a running server, provisions and signs in `ids`, and
 * returns a function that builds the URL for a user to open a direct chat.
 * @param {{ base: string, wsBase: string, adminKey?: string }} server
 * @param {string[]} ids
 */
export async function conversasTarget(server, ids) {
  if (!server.adminKey) throw new Error("the server was started without an admin key");
  await provisionUsers(server.base, server.adminKey, ids);
  /** @type {Record<string, string>} */
  const tokens = {};
  for (const id of ids) tokens[id] = await signIn(server.base, id);
  return {
    /** @param {string} user  @param {string} peer */
    chatUrl: (user, peer) =>
      `${server.wsBase}${directChatPath(user, peer)}?token=${encodeURIComponent(/** @type {string} */ (tokens[user]))}`,
  };
}
