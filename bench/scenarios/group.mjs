/**
 * Scenario: a big group (R13–R19, issue 15). Every member in the measurement has
 * the group's chat socket open; on the real server each also has the app open
 * (today the hub socket, on the previous release the user-room socket), as a
 * person looking at the group does. One member sends, one message in flight, in
 * two series:
 * - delivery: a sample is the time from the send to `message.new` at EACH other
 *   member (so p50/p99 cover the whole fan-out; "all" is the slowest member per
 *   message); the next message goes as soon as every member has this one, as on
 *   the baselines. The apps stay open and their lists keep being updated (paced)
 *   meanwhile, so that work weighs on the delivery as it does in a busy group;
 * - lists (where apps are open): each message also waits for the `inbox.update`
 *   carrying it (or a later one) at EACH member's app — the sender's list changes
 *   too. Its deliveries are kept apart ("rounds waiting for the lists"): such a
 *   round leaves the machine idle until the paced update goes, and on this
 *   machine an idle spell before a send slows every server's next frames (raw
 *   ws' ack p50 0.2 → 3.7 ms after 60 ms idle), which the baselines, having no
 *   lists, would never pay.
 * Then messages/s fully delivered to every member with a few in flight (chat
 * sockets only). The baselines run the same code with all peers on one path,
 * where they forward each message to every other peer.
 */
import { benchText, nextClientId } from "../client.mjs";
import { summarize } from "../stats.mjs";

/** @typedef {import("../client.mjs").Peer} Peer */

/**
 * Sends one message from `sender` and resolves with each recipient's delay in ms,
 * and each app's delay until its list shows the message (empty without apps).
 * @param {Peer} sender  @param {Peer[]} others  @param {Peer[]} apps  @param {string | null} chatId
 * @param {number} textSize  @param {number} timeoutMs
 * @returns {Promise<{ delays: number[], lists: number[] }>}
 */
export function roundToAll(sender, others, apps, chatId, textSize, timeoutMs) {
  const clientId = nextClientId();
  let t0 = performance.now();
  /** @type {number | null} the stored seq, once the ack says it */
  let seq = null;
  /** @type {(() => void)[]} run once the seq is known */
  const onSeq = [];
  const arrivals = others.map((p) =>
    p
      .waitFor((f) => f.type === "message.new" && f.message.clientId === clientId, timeoutMs, `message.new ${clientId}`)
      .then(() => performance.now() - t0),
  );
  const listed = apps.map(
    (app) =>
      /** @type {Promise<number>} */ (
        new Promise((resolve, reject) => {
          /** @type {{ s: number, at: number } | null} the newest update seen before the ack (the hub is another room: it may come first) */
          let early = null;
          const timer = setTimeout(
            () => finish(new Error(`timed out after ${timeoutMs} ms waiting for inbox.update of ${clientId}`)),
            timeoutMs,
          );
          /** @param {Error | number} r */
          function finish(r) {
            clearTimeout(timer);
            off();
            if (typeof r === "number") resolve(r);
            else reject(r);
          }
          const off = app.on((f) => {
            if (f.type === "socket.closed") return finish(new Error(`app socket closed (${f.code})`));
            if (f.type !== "inbox.update" || f.conversation.chatId !== chatId) return;
            const s = f.conversation.lastMessage?.seq ?? 0;
            const at = performance.now() - t0;
            if (seq !== null) {
              if (s >= seq) finish(at);
            } else if (!early || s > early.s) early = { s, at };
          });
          onSeq.push(() => {
            if (early && seq !== null && early.s >= seq) finish(early.at);
          });
        })
      ),
  );
  const acked = sender
    .waitFor((f) => f.type === "message.ack" && f.clientId === clientId, timeoutMs, `message.ack ${clientId}`)
    .then((f) => {
      seq = f.message.seq;
      for (const check of onSeq) check();
    });
  t0 = performance.now();
  sender.send({ type: "message.send", clientId, text: benchText(clientId, textSize) });
  return Promise.all([Promise.all(arrivals), Promise.all(listed), acked]).then(([delays, lists]) => ({ delays, lists }));
}

/**
 * @param {{ peers: Peer[], apps?: Peer[], chatId?: string | null, count: number, warmup: number, textSize: number,
 *   timeoutMs: number, budgetMs: number, windowMs: number, inFlight: number }} p
 *   `peers[0]` sends; `apps`: the members' app sockets whose lists are watched
 */
export async function measureGroup(p) {
  const [sender, ...others] = p.peers;
  if (!sender || others.length === 0) throw new Error("a group bench needs at least two members");
  const apps = p.apps ?? [];
  /** @type {number[]} */ const each = [];
  /** @type {number[]} */ const slowest = [];
  /** @type {number[]} */ const listEach = [];
  /** @type {number[]} */ const listAll = [];
  /** @type {number[]} */ const waitingEach = [];
  let sent = 0;
  const stopAt = performance.now() + p.budgetMs;
  for (let i = 0; i < p.warmup + p.count && performance.now() < stopAt; i++) {
    const { delays } = await roundToAll(sender, others, [], p.chatId ?? null, p.textSize, p.timeoutMs);
    sent++;
    if (i < p.warmup) continue;
    each.push(...delays);
    slowest.push(Math.max(...delays));
  }
  for (let i = 0; apps.length && i < p.warmup + p.count && performance.now() < stopAt; i++) {
    const { delays, lists } = await roundToAll(sender, others, apps, p.chatId ?? null, p.textSize, p.timeoutMs);
    sent++;
    if (i < p.warmup) continue;
    waitingEach.push(...delays);
    listEach.push(...lists);
    listAll.push(Math.max(...lists));
  }
  const oneInFlight = sent;
  // Throughput: keep `inFlight` messages going for a window; count those every member received.
  let delivered = 0;
  const t0 = performance.now();
  const windowEnd = t0 + p.windowMs;
  const lane = async () => {
    while (performance.now() < windowEnd) {
      sent++;
      await roundToAll(sender, others, [], null, p.textSize, p.timeoutMs);
      delivered += 1;
    }
  };
  await Promise.all(Array.from({ length: p.inFlight }, lane));
  const seconds = (performance.now() - t0) / 1000;
  return {
    members: p.peers.length,
    appsWatched: apps.length,
    oneInFlight,
    sent,
    deliverEachMs: summarize(each),
    deliverAllMs: summarize(slowest),
    listEachMs: apps.length ? summarize(listEach) : null,
    listAllMs: apps.length ? summarize(listAll) : null,
    deliverEachWaitingListsMs: apps.length ? summarize(waitingEach) : null,
    msgsPerSec: delivered / seconds,
    memberDeliveriesPerSec: (delivered * others.length) / seconds,
    budgetExceeded: slowest.length < p.count || (apps.length > 0 && listAll.length < p.count),
  };
}
