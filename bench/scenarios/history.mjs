/**
 * Scenario: reading history in a long chat. Fills a direct chat with N messages
 * (pipelined sends, every ack awaited: a write-throughput figure of its own), then
 * measures, for that chat and a short one, (1) opening a new socket until its
 * `chat.ready` — which carries the newest page — and (2) a `history.fetch` round
 * trip at positions spread through the log. A holder socket stays open meanwhile,
 * so the room is warm and the figures are about reading pages, not room start-up.
 */
import { benchText, nextClientId, openChat } from "../client.mjs";
import { summarize } from "../stats.mjs";

/**
 * Sends `count` messages (the given `texts`, or bench texts of `textSize`) with up
 * to `inFlight` unacknowledged, and waits for all acks; `lastSeq` is the highest
 * seq the room stored.
 * @param {{ peer: import("../client.mjs").Peer, count: number, inFlight: number, textSize?: number, texts?: string[], timeoutMs: number }} p
 */
export async function fillChat(p) {
  let sent = 0;
  let acked = 0;
  let lastSeq = 0;
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`fill: only ${acked}/${p.count} acked after ${p.timeoutMs} ms`)), p.timeoutMs);
    const off = p.peer.on((f) => {
      if (f.type === "message.ack") {
        acked++;
        lastSeq = Math.max(lastSeq, f.message.seq);
        if (acked === p.count) finish(null);
        else pump();
      } else if (f.type === "error" || f.type === "socket.closed") finish(new Error(`fill: ${JSON.stringify(f)}`));
    });
    /** @param {Error | null} err */
    function finish(err) {
      clearTimeout(timer);
      off();
      if (err) reject(err);
      else resolve(undefined);
    }
    function pump() {
      while (sent < p.count && sent - acked < p.inFlight) {
        const clientId = nextClientId();
        p.peer.send({ type: "message.send", clientId, text: p.texts?.[sent] ?? benchText(clientId, p.textSize ?? 100) });
        sent++;
      }
    }
    pump();
  });
  const s = (performance.now() - start) / 1000;
  return { count: p.count, seconds: Math.round(s * 1000) / 1000, msgsPerSec: Math.round(p.count / s), lastSeq };
}

/**
 * `closeGraceMs` bounds the wait for the server's close frame after each open, so a
 * server that never answers a close costs the run little time; how many closes did
 * complete is reported.
 * @param {{ url: string, reps: number, pageLimit: number, timeoutMs: number, closeGraceMs: number }} p
 */
export async function measureReads(p) {
  const holder = await openChat(p.url, p.timeoutMs);
  const lastSeq = /** @type {number} */ (holder.ready.lastSeq);
  try {
    /** @type {number[]} */
    const open = [];
    let pageSize = 0;
    let closedCleanly = 0;
    for (let i = 0; i < p.reps; i++) {
      const { peer, ready, ms } = await openChat(p.url, p.timeoutMs);
      open.push(ms);
      pageSize = ready.messages.length;
      if (await peer.close(p.closeGraceMs)) closedCleanly++;
    }
    /** @type {number[]} */
    const fetchMs = [];
    let fetched = 0;
    for (let i = 0; i < p.reps; i++) {
      // Spread over 10%..90% of the log, so no two fetches read the same page.
      const before = Math.max(2, Math.round(lastSeq * (0.1 + (0.8 * i) / Math.max(1, p.reps - 1))));
      const page = holder.peer.waitFor((f) => f.type === "history.page" && f.before === before, p.timeoutMs, `history.page ${before}`);
      const t0 = performance.now();
      holder.peer.send({ type: "history.fetch", before, limit: p.pageLimit });
      const frame = await page;
      fetchMs.push(performance.now() - t0);
      fetched += frame.messages.length;
    }
    return {
      lastSeq,
      readyPageSize: pageSize,
      openToReadyMs: summarize(open),
      historyFetchMs: summarize(fetchMs),
      avgFetchedPerPage: fetched / p.reps,
      closeHandshakes: `${closedCleanly}/${p.reps} within ${p.closeGraceMs} ms`,
    };
  } finally {
    await holder.peer.close(p.closeGraceMs);
  }
}
