/**
 * Scenario: sustained throughput in a direct chat. For a fixed window A keeps up
 * to `inFlight` messages outstanding; a message is complete once A has its
 * `message.ack` and B its `message.new`, and each completion lets A send another.
 * After the window no more are sent and the rest drain (bounded). The figure is
 * completed messages per second from the first send to the last completion.
 */
import { benchText, nextClientId } from "../client.mjs";
import { summarize } from "../stats.mjs";

/**
 * @param {{ a: import("../client.mjs").Peer, b: import("../client.mjs").Peer,
 *   windowMs: number, inFlight: number, textSize: number, drainMs: number }} p
 */
export async function measureThroughput(p) {
  /** @type {Map<string, { t0: number, acked: boolean, delivered: boolean }>} */
  const pending = new Map();
  /** @type {number[]} */
  const deliverMs = [];
  /** @type {number[]} */
  const ackMs = [];
  let sent = 0;
  let completed = 0;
  /** @type {Error | null} */
  let failure = null;
  const start = performance.now();
  const stopSendingAt = start + p.windowMs;
  let lastDone = start;
  /** @type {() => void} */
  let wake = () => {};
  const done = new Promise((r) => (wake = () => r(undefined)));

  const pump = () => {
    while (!failure && pending.size < p.inFlight && performance.now() < stopSendingAt) {
      const clientId = nextClientId();
      pending.set(clientId, { t0: performance.now(), acked: false, delivered: false });
      p.a.send({ type: "message.send", clientId, text: benchText(clientId, p.textSize) });
      sent++;
    }
    if (failure || (pending.size === 0 && performance.now() >= stopSendingAt)) wake();
  };
  /** @param {string} clientId  @param {"acked" | "delivered"} what */
  const mark = (clientId, what) => {
    const slot = pending.get(clientId);
    if (!slot) return;
    slot[what] = true;
    (what === "delivered" ? deliverMs : ackMs).push(performance.now() - slot.t0);
    if (!slot.acked || !slot.delivered) return;
    pending.delete(clientId);
    completed++;
    lastDone = performance.now();
    pump();
  };
  /** @param {import("../client.mjs").Frame} f */
  const onFailure = (f) => {
    if (f.type !== "error" && f.type !== "socket.closed") return;
    failure = new Error(`throughput: ${JSON.stringify(f)}`);
    wake();
  };
  const offA = p.a.on((f) => (f.type === "message.ack" ? mark(f.clientId, "acked") : onFailure(f)));
  const offB = p.b.on((f) => (f.type === "message.new" ? mark(f.message.clientId, "delivered") : onFailure(f)));
  // The window may close while every message is in flight, with no completion left to notice it.
  const tick = setInterval(pump, 50);
  const guard = setTimeout(wake, p.windowMs + p.drainMs);
  pump();
  await done;
  clearInterval(tick);
  clearTimeout(guard);
  offA();
  offB();
  if (failure) throw failure;
  const elapsedS = (lastDone - start) / 1000;
  return {
    sent,
    completed,
    undrained: pending.size,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    msgsPerSec: elapsedS > 0 ? Math.round(completed / elapsedS) : 0,
    deliverMsUnderLoad: summarize(deliverMs),
    ackMsUnderLoad: summarize(ackMs),
  };
}
