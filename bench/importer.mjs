/**
 * Fills chats through the admin import API (`POST /api/tenants/{t}/chats/{chatId}/import`,
 * ≤ 10,000 messages a call, seqs contiguous after the chat's last), the fast way
 * to the bench's big logs: ~15 k messages/s here against ~1–2 k/s through
 * sends. The chat then hands the new messages to the company's search index
 * and updates its members' lists by itself, in the background.
 *
 * `wrangler dev` sometimes restarts the worker under a long import and answers
 * a POST caught in it with 503 "Your worker restarted mid-request" (GETs it
 * retries itself). A batch is one transaction and a retried batch stores only
 * what is missing, so it is sent again, a few times at most; how many is
 * reported.
 */

import { restarts as restartsSeen } from "./conversas.mjs";

const BATCH = 10_000;
const RETRIES = 5;

/**
 * @param {{ base: string, adminKey?: string }} server  @param {string} tenant  @param {string} chatId
 * @param {object[]} messages
 * @returns {Promise<{ lastSeq: number, imported: number }>}
 */
async function post(server, tenant, chatId, messages) {
  const res = await fetch(`${server.base}/api/tenants/${tenant}/chats/${chatId}/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ messages }),
  });
  if (!res.ok) throw new Error(`import into ${chatId}: ${res.status} ${await res.text()}`);
  return /** @type {{ lastSeq: number, imported: number }} */ (await res.json());
}

/**
 * Appends `count` messages to a chat, `text(i)` each, sent in turn by `senders`,
 * stamped one millisecond apart ending now.
 * @param {{ base: string, adminKey?: string }} server  @param {string} tenant  @param {string} chatId
 * @param {{ count: number, text: (i: number) => string, senders: string[], onBatch?: (done: number) => void }} p
 * @returns {Promise<{ lastSeq: number, seconds: number, msgsPerSec: number, restarts: number }>}
 */
export async function importMessages(server, tenant, chatId, p) {
  const t0 = performance.now();
  let { lastSeq } = await post(server, tenant, chatId, []);
  let restarts = 0;
  const firstAt = Date.now() - p.count;
  for (let done = 0; done < p.count;) {
    const n = Math.min(BATCH, p.count - done);
    const batch = Array.from({ length: n }, (_, k) => {
      const i = done + k;
      const seq = lastSeq + 1 + k;
      return {
        id: `${chatId}:${seq}`,
        seq,
        chatId,
        clientId: `imp-${seq}`,
        senderId: /** @type {string} */ (p.senders[i % p.senders.length]),
        text: p.text(i),
        createdAt: firstAt + i,
      };
    });
    let res = null;
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await post(server, tenant, chatId, batch);
      } catch (err) {
        if (attempt >= RETRIES || !/restarted mid-request/.test(String(err))) throw err;
        restarts += 1;
        restartsSeen.seen += 1;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    if (res.lastSeq !== lastSeq + n) throw new Error(`import into ${chatId}: the log ends at ${res.lastSeq}, expected ${lastSeq + n}`);
    lastSeq = res.lastSeq;
    done += n;
    p.onBatch?.(done);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { lastSeq, seconds: Math.round(seconds * 1000) / 1000, msgsPerSec: Math.round(p.count / Math.max(seconds, 1e-3)), restarts };
}
