/**
 * Scenario: a chat with a very long history (issue 13: "a 1,000,000-message chat
 * opens, pages and searches with workerd's memory under 128 MB"). A direct chat
 * in a company of its own (so its search index is its own) is filled through
 * the import API with seeded pt-BR sentences, the last few carrying a planted
 * word; the run waits until a search finds that word (the company's index has
 * the whole log), then STOPS the runtime and starts it again on the same state,
 * so everything after starts cold: open → `chat.ready`, deep `history.fetch`es
 * near the start of the log, then the app's socket and searches in the chat.
 * After each step: the resident memory (RSS) of the workerd process that runs
 * the rooms — the whole process: the isolate, SQLite's caches and workerd
 * itself — and the V8 heap in use by the worker's isolate (the inspector's
 * Runtime.getHeapUsage; all rooms share the isolate locally), which is what the
 * platform's 128 MB isolate limit is about.
 */
import { nextClientId, openChat, openSocket } from "../client.mjs";
import { importMessages } from "../importer.mjs";
import { rssMiB } from "../probe.mjs";
import { summarize } from "../stats.mjs";
import { sentenceMaker } from "./alive.mjs";

/** In the last messages only: a search that finds it proves the index has the whole log. */
const PLANTED = "quokkazul";
const PLANTED_IN_LAST = 10;
const USERS = ["big-a", "big-b"];

/** @typedef {import("../client.mjs").Peer} Peer */

/**
 * @param {Peer} peer  @param {string} q  @param {string | null} chatId  @param {number} timeoutMs
 * @returns {Promise<{ ms: number, hits: number }>}
 */
async function search(peer, q, chatId, timeoutMs) {
  const got = peer.waitFor((f) => f.type === "search.results" && f.q === q, timeoutMs, `search.results ${q}`);
  const t0 = performance.now();
  peer.send({ type: "search.query", q, ...(chatId ? { chatId } : {}) });
  const frame = await got;
  return { ms: Math.round((performance.now() - t0) * 1000) / 1000, hits: /** @type {unknown[]} */ (frame.hits).length };
}

/**
 * @param {{ target: import("../conversas.mjs").Target, count: number, workerPid: () => number, heapMiB: () => Promise<number>,
 *   restart: () => Promise<{ base: string, wsBase: string, adminKey?: string }>,
 *   fetchReps: number, pageLimit: number, timeoutMs: number, indexTimeoutMs: number, closeGraceMs: number }} p
 */
export async function runBigChat(p) {
  const t = p.target;
  await t.users(USERS);
  const chatId = `dm.${USERS[0]}.${USERS[1]}`;
  const next = sentenceMaker(13_000_001);
  /** @type {Record<string, number>} MiB */
  const rss = {};
  /** @type {Record<string, number>} MiB */
  const heap = {};
  /** @param {string} at */
  const snap = async (at) => {
    rss[at] = rssMiB(p.workerPid());
    heap[at] = await p.heapMiB();
  };
  let peak = rssMiB(p.workerPid());
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(p.workerPid()))), 250);
  let fill;
  try {
    await snap("beforeFill");
    fill = await importMessages(t.server, t.tenant, chatId, {
      count: p.count,
      text: (i) => (i >= p.count - PLANTED_IN_LAST ? `${next()} ${PLANTED}` : next()),
      senders: USERS,
    });
  } finally {
    clearInterval(sampler);
  }
  rss.peakWhileImporting = peak;
  await snap("afterImport");

  // The company's index catches up in the background: wait until it has the last messages.
  const fillEnd = performance.now();
  const app = await openSocket(await t.app(/** @type {string} */ (USERS[0])), "inbox.snapshot", p.timeoutMs);
  let indexedAfterMs = NaN;
  try {
    const end = fillEnd + p.indexTimeoutMs;
    while (performance.now() < end) {
      if ((await search(app.peer, PLANTED, null, p.timeoutMs)).hits > 0) {
        indexedAfterMs = Math.round(performance.now() - fillEnd);
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    app.peer.send({ type: "presence.leave" });
    await app.peer.close(p.closeGraceMs);
  }
  if (!Number.isFinite(indexedAfterMs)) throw new Error(`the index did not have the ${p.count}-message chat within ${p.indexTimeoutMs} ms`);
  await snap("filledAndIndexed");

  // Everything from here starts cold.
  const t0 = performance.now();
  t.moveTo(await p.restart());
  const restartMs = Math.round(performance.now() - t0);
  await snap("afterRestart");

  const roomId = t.roomId(chatId);
  const opened = await openChat(await t.chat(/** @type {string} */ (USERS[0]), roomId), p.timeoutMs * 4);
  await snap("afterOpen");
  /** @type {number[]} */
  const fetchMs = [];
  let fetched = 0;
  /** @type {{ ms: number, hits: number }[]} */
  const searches = [];
  let sendMs = NaN;
  try {
    // Deep pages: near the start of the log, each at another place, so none is cached by the one before.
    for (let i = 0; i < p.fetchReps; i++) {
      const before = 2 + Math.round(((i + 1) * Math.min(p.count, 100_000)) / (p.fetchReps + 1));
      const page = opened.peer.waitFor((f) => f.type === "history.page" && f.before === before, p.timeoutMs, `history.page ${before}`);
      const s0 = performance.now();
      opened.peer.send({ type: "history.fetch", before, limit: p.pageLimit });
      fetched += (await page).messages.length;
      fetchMs.push(performance.now() - s0);
    }
    await snap("afterDeepFetch");
    const hub = await openSocket(await t.app(/** @type {string} */ (USERS[0])), "inbox.snapshot", p.timeoutMs * 4);
    try {
      // In this chat ("Pesquisar nesta conversa"): a common word first (cold index), a rare one, a planted one, no hit.
      for (const q of ["pedido", "turnover", PLANTED, "kwyjibo"])
        searches.push({ ...(await search(hub.peer, q, chatId, p.timeoutMs * 4)) });
      await snap("afterSearch");
      // And one message into the million-message chat.
      const clientId = nextClientId();
      const acked = opened.peer.waitFor((f) => f.type === "message.ack" && f.clientId === clientId, p.timeoutMs, "ack");
      const s0 = performance.now();
      opened.peer.send({ type: "message.send", clientId, text: "depois de um milhão" });
      await acked;
      sendMs = Math.round((performance.now() - s0) * 1000) / 1000;
      await snap("afterSend");
    } finally {
      hub.peer.send({ type: "presence.leave" });
      await hub.peer.close(p.closeGraceMs);
    }
  } finally {
    await opened.peer.close(p.closeGraceMs);
  }
  const after = ["afterOpen", "afterDeepFetch", "afterSearch", "afterSend"];
  const maxAfterRestart = Math.max(...after.map((k) => rss[k] ?? NaN));
  const maxHeapAfterRestart = Math.max(...after.map((k) => heap[k] ?? NaN));
  return {
    messages: p.count,
    fill,
    indexedAfterMs,
    restartMs,
    openToReadyMs: Math.round(opened.ms * 1000) / 1000,
    readyPageSize: opened.ready.messages.length,
    lastSeq: opened.ready.lastSeq,
    deepFetchMs: summarize(fetchMs),
    avgFetchedPerPage: fetched / Math.max(1, p.fetchReps),
    searches: {
      commonColdMs: searches[0]?.ms ?? NaN,
      rareMs: searches[1]?.ms ?? NaN,
      plantedMs: searches[2]?.ms ?? NaN,
      noHitMs: searches[3]?.ms ?? NaN,
      hits: searches.map((s) => s.hits),
    },
    sendAckMs: sendMs,
    rssMiB: rss,
    heapMiB: heap,
    maxRssAfterRestartMiB: maxAfterRestart,
    maxHeapAfterRestartMiB: maxHeapAfterRestart,
  };
}
