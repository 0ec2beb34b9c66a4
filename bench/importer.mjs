/**
 * Fills chats through the admin import API (`POST /api/tenants/{t}/chats/{chatId}/import`,
 * ≤ 10,000 messages a call, seqs contiguous after the chat's last), the fast way
 * to the bench's big logs: ~15 k messages/s here against ~1–2 k/s through
 * sends. The chat then hands the new messages to the company's search index
 * and updates its members' lists by itself, in the background.
 */

const BATCH = 10_000;

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
 * @returns {Promise<{ lastSeq: number, seconds: number, msgsPerSec: number }>}
 */
export async function importMessages(server, tenant, chatId, p) {
  const t0 = performance.now();
  let { lastSeq } = await post(server, tenant, chatId, []);
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
    const res = await post(server, tenant, chatId, batch);
    if (res.imported !== n) throw new Error(`import into ${chatId}: ${res.imported} of ${n} stored`);
    lastSeq = res.lastSeq;
    done += n;
    p.onBatch?.(done);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { lastSeq, seconds: Math.round(seconds * 1000) / 1000, msgsPerSec: Math.round(p.count / Math.max(seconds, 1e-3)) };
}
