/**
 * Scenario: send→receive latency in a direct chat at a modest, steady rate. One
 * message is in flight at a time: A sends, and the next send waits until B has
 * the `message.new` and A has the `message.ack`, so each sample is an unloaded
 * round through the server. Records both send→delivered-to-B and send→ack-to-A.
 */
import { benchText, nextClientId } from "../client.mjs";
import { summarize } from "../stats.mjs";

/**
 * @param {{ a: import("../client.mjs").Peer, b: import("../client.mjs").Peer,
 *   count: number, warmup: number, textSize: number, timeoutMs: number, budgetMs: number }} p
 */
export async function measureLatency(p) {
  const { sent, deliver, ack } = await latencySamples(p);
  return { sent, deliverMs: summarize(deliver), ackMs: summarize(ack), budgetExceeded: deliver.length < p.count };
}

/**
 * The samples themselves (after the warm-up), so runs taken in blocks can be pooled (run.mjs `pairsInTurns`).
 * @param {Parameters<typeof measureLatency>[0]} p  @returns {Promise<{ sent: number, deliver: number[], ack: number[] }>}
 */
export async function latencySamples(p) {
  /** @type {number[]} */
  const deliver = [];
  /** @type {number[]} */
  const ack = [];
  const stopAt = performance.now() + p.budgetMs;
  let sent = 0;
  for (let i = 0; i < p.warmup + p.count && performance.now() < stopAt; i++) {
    const clientId = nextClientId();
    const gotNew = p.b.waitFor((f) => f.type === "message.new" && f.message.clientId === clientId, p.timeoutMs, `message.new ${clientId}`);
    const gotAck = p.a.waitFor((f) => f.type === "message.ack" && f.clientId === clientId, p.timeoutMs, `message.ack ${clientId}`);
    const t0 = performance.now();
    p.a.send({ type: "message.send", clientId, text: benchText(clientId, p.textSize) });
    const [tNew, tAck] = await Promise.all([gotNew.then(() => performance.now()), gotAck.then(() => performance.now())]);
    sent++;
    if (i < p.warmup) continue;
    deliver.push(tNew - t0);
    ack.push(tAck - t0);
  }
  return { sent, deliver, ack };
}
