/**
 * Scenario: a big group (R13–R19). Every member has a chat socket open; one
 * member sends, and a sample is the time from send to `message.new` at EACH other
 * member, so p50/p99 cover the whole fan-out (the "all delivered" column is the
 * slowest member per message). Then messages/s fully delivered to every member
 * with a few in flight, and — on the real server only — the time until every
 * member's conversation list (their user-room socket) shows the new message.
 * The raw `ws` baseline runs the same code with all peers on one path, where it
 * forwards each message to every other peer.
 */
import WebSocket from "ws";
import { Peer, benchText, nextClientId, openChat } from "../client.mjs";
import { BENCH_TENANT, provisionUsers, signIn } from "../conversas.mjs";
import { summarize } from "../stats.mjs";

/**
 * On the real server: provisions `size` bench users, signs them in, and has the
 * first create a group with all the others through the public API.
 * @param {{ base: string, wsBase: string, adminKey?: string }} server  @param {number} size
 * @returns {Promise<{ chatId: string, chatUrls: string[], inboxUrls: string[] }>}
 */
export async function conversasGroup(server, size) {
  if (!server.adminKey) throw new Error("the server was started without an admin key");
  const ids = Array.from({ length: size }, (_, i) => `gm${String(i).padStart(4, "0")}`);
  await provisionUsers(server.base, server.adminKey, ids);
  /** @type {string[]} */
  const tokens = [];
  for (let i = 0; i < ids.length; i += 10) tokens.push(...(await Promise.all(ids.slice(i, i + 10).map((id) => signIn(server.base, id)))));
  const res = await fetch(`${server.base}/api/tenants/${BENCH_TENANT}/groups`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `Bench ${size}`, members: ids.slice(1) }),
  });
  if (res.status !== 201) throw new Error(`group create: ${res.status} ${await res.text()}`);
  const { chatId } = /** @type {{ chatId: string }} */ (await res.json());
  const q = (/** @type {number} */ i) => `?token=${encodeURIComponent(/** @type {string} */ (tokens[i]))}`;
  return {
    chatId,
    chatUrls: ids.map((_, i) => `${server.wsBase}/parties/chat/${BENCH_TENANT}.${chatId}${q(i)}`),
    inboxUrls: ids.map((id, i) => `${server.wsBase}/parties/user/${BENCH_TENANT}.${id}${q(i)}`),
  };
}

/**
 * Opens `urls` as chat sockets, a few at a time (each open is a sign-in check on the server).
 * @param {string[]} urls  @param {number} timeoutMs
 * @returns {Promise<Peer[]>}
 */
export async function openMembers(urls, timeoutMs) {
  /** @type {Peer[]} */
  const peers = [];
  for (let i = 0; i < urls.length; i += 20) {
    const batch = await Promise.all(urls.slice(i, i + 20).map((u) => openChat(u, timeoutMs)));
    peers.push(...batch.map((b) => b.peer));
  }
  return peers;
}

/**
 * Sends one message from `sender` and resolves with each recipient's delay in ms.
 * @param {Peer} sender  @param {Peer[]} others  @param {number} textSize  @param {number} timeoutMs
 */
function roundToAll(sender, others, textSize, timeoutMs) {
  const clientId = nextClientId();
  const t0 = performance.now();
  const arrivals = others.map((p) =>
    p
      .waitFor((f) => f.type === "message.new" && f.message.clientId === clientId, timeoutMs, `message.new ${clientId}`)
      .then(() => performance.now() - t0),
  );
  const acked = sender.waitFor((f) => f.type === "message.ack" && f.clientId === clientId, timeoutMs, `message.ack ${clientId}`);
  sender.send({ type: "message.send", clientId, text: benchText(clientId, textSize) });
  return Promise.all([Promise.all(arrivals), acked]).then(([delays]) => delays);
}

/**
 * @param {{ peers: Peer[], count: number, warmup: number, textSize: number, timeoutMs: number,
 *   budgetMs: number, windowMs: number, inFlight: number }} p
 */
export async function measureGroup(p) {
  const [sender, ...others] = p.peers;
  if (!sender || others.length === 0) throw new Error("a group bench needs at least two members");
  /** @type {number[]} */
  const each = [];
  /** @type {number[]} */
  const slowest = [];
  const stopAt = performance.now() + p.budgetMs;
  for (let i = 0; i < p.warmup + p.count && performance.now() < stopAt; i++) {
    const delays = await roundToAll(sender, others, p.textSize, p.timeoutMs);
    if (i < p.warmup) continue;
    each.push(...delays);
    slowest.push(Math.max(...delays));
  }
  // Throughput: keep `inFlight` messages going for a window; count those every member received.
  let delivered = 0;
  const t0 = performance.now();
  const windowEnd = t0 + p.windowMs;
  const lane = async () => {
    while (performance.now() < windowEnd) {
      await roundToAll(sender, others, p.textSize, p.timeoutMs);
      delivered += 1;
    }
  };
  await Promise.all(Array.from({ length: p.inFlight }, lane));
  const seconds = (performance.now() - t0) / 1000;
  return {
    members: p.peers.length,
    deliverEachMs: summarize(each),
    deliverAllMs: summarize(slowest),
    msgsPerSec: delivered / seconds,
    memberDeliveriesPerSec: (delivered * others.length) / seconds,
    budgetExceeded: slowest.length < p.count,
  };
}

/**
 * Time from a send until every member's user-room socket has an `inbox.update`
 * for the group carrying that message (or a later one).
 * @param {{ sender: Peer, chatId: string, inboxUrls: string[], reps: number, textSize: number, timeoutMs: number }} p
 */
export async function measureInboxFanout(p) {
  /** @type {Peer[]} */
  const inboxes = [];
  for (let i = 0; i < p.inboxUrls.length; i += 20) {
    const batch = await Promise.all(p.inboxUrls.slice(i, i + 20).map((u) => openInbox(u, p.timeoutMs)));
    inboxes.push(...batch);
  }
  /** @type {number[]} */
  const all = [];
  /** @type {number[]} */
  const each = [];
  try {
    // Only the sender posts here, so the next seq is known before the send and no update can slip past.
    let seq = await sendAndAck(p.sender, p.textSize, p.timeoutMs);
    for (let r = 0; r < p.reps; r++) {
      seq += 1;
      let t0 = 0;
      const seen = inboxes.map((ib) =>
        ib
          .waitFor(
            (f) => f.type === "inbox.update" && f.conversation.chatId === p.chatId && (f.conversation.lastMessage?.seq ?? 0) >= seq,
            p.timeoutMs,
            `inbox.update seq ${seq}`,
          )
          .then(() => performance.now() - t0),
      );
      t0 = performance.now();
      const sent = await sendAndAck(p.sender, p.textSize, p.timeoutMs);
      if (sent !== seq) throw new Error(`expected seq ${seq}, the room stored ${sent}`);
      const delays = await Promise.all(seen);
      each.push(...delays);
      all.push(Math.max(...delays));
    }
  } finally {
    await Promise.all(inboxes.map((ib) => ib.close(250)));
  }
  return { listEachMs: summarize(each), listAllMs: summarize(all) };
}

/** @param {Peer} sender  @param {number} textSize  @param {number} timeoutMs  @returns {Promise<number>} the stored seq */
async function sendAndAck(sender, textSize, timeoutMs) {
  const clientId = nextClientId();
  const acked = sender.waitFor((f) => f.type === "message.ack" && f.clientId === clientId, timeoutMs, "ack");
  sender.send({ type: "message.send", clientId, text: benchText(clientId, textSize) });
  return (await acked).message.seq;
}

/** @param {string} url  @param {number} timeoutMs  @returns {Promise<Peer>} */
async function openInbox(url, timeoutMs) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const peer = new Peer(ws);
  ws.on("error", () => {
    /* surfaces as a close */
  });
  await peer.waitFor((f) => f.type === "inbox.snapshot", timeoutMs, "inbox.snapshot");
  return peer;
}

/**
 * The whole group phase: the same fan-out measured on the ws baseline (all peers
 * on one path) and on conversas, then the conversation-list fan-out on conversas.
 * @param {{ base: string, wsBase: string, adminKey?: string }} server  @param {string} baselineWsBase
 * @param {{ members: number, count: number, warmup: number, textSize: number, timeoutMs: number, budgetMs: number,
 *   windowMs: number, inFlight: number, listReps: number, closeGraceMs: number }} p
 */
export async function runGroupBench(server, baselineWsBase, p) {
  const closeAll = (/** @type {Peer[]} */ peers) => Promise.all(peers.map((x) => x.close(p.closeGraceMs)));
  const basePeers = await openMembers(
    Array.from({ length: p.members }, () => `${baselineWsBase}/parties/chat/${BENCH_TENANT}.g.baselinegroup0000`),
    p.timeoutMs,
  );
  let baseline;
  try {
    baseline = await measureGroup({ ...p, peers: basePeers });
  } finally {
    await closeAll(basePeers);
  }
  const target = await conversasGroup(server, p.members);
  const peers = await openMembers(target.chatUrls, p.timeoutMs);
  try {
    const conversas = await measureGroup({ ...p, peers });
    const lists = await measureInboxFanout({
      sender: /** @type {Peer} */ (peers[0]),
      chatId: target.chatId,
      inboxUrls: target.inboxUrls,
      reps: p.listReps,
      textSize: p.textSize,
      timeoutMs: p.timeoutMs,
    });
    return { conversas, baseline, lists };
  } finally {
    await closeAll(peers);
  }
}
