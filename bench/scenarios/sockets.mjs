/**
 * Scenario: many open apps (issue 15: "5,000 open sockets on this machine with
 * the 1:1 latency holding"). N idle hub sockets — `users` people with several
 * apps open each (one tab per person first, so each arrival's presence
 * broadcast reaches fewer sockets, then the other tabs) — ping every 20 s as the
 * app does, so the hub keeps them; meanwhile a pair measures the 1:1
 * send→deliver latency with the same code as the direct-chat scenario. Also:
 * how long opening them took, and the memory and descriptors of the runtime's
 * processes with them open.
 */
import { readFileSync, readdirSync } from "node:fs";
import { openMany } from "../client.mjs";

/** protocol/hub.ts PRESENCE_PING: answered by the runtime without waking the hub. */
const PRESENCE_PING = '{"type":"presence.ping"}';

/** @typedef {import("../client.mjs").Peer} Peer */

/**
 * Opens `count` idle sockets, one tab per person in turn; returns them with a
 * stop() that ends their pings and closes them.
 * @param {{ target: import("../conversas.mjs").Target, users: string[], count: number, timeoutMs: number, batch: number }} p
 */
export async function openIdleApps(p) {
  const t0 = performance.now();
  /** @type {Peer[]} */
  const peers = [];
  const stopAll = async () => {
    clearInterval(ping);
    for (let i = 0; i < peers.length; i += 500) await Promise.all(peers.slice(i, i + 500).map((x) => x.close(500)));
  };
  const ping = setInterval(() => {
    for (const x of peers) if (!x.closed) x.ws.send(PRESENCE_PING);
  }, 20_000);
  try {
    while (peers.length < p.count) {
      const who = p.users.slice(0, Math.min(p.users.length, p.count - peers.length));
      const ends = await Promise.all(who.map((u) => p.target.app(u)));
      peers.push(...(await openMany(ends, "inbox.snapshot", p.timeoutMs, p.batch)));
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { peers, openSeconds: Math.round(seconds * 100) / 100, opensPerSec: Math.round(peers.length / seconds), stop: stopAll };
}

/** How many descriptors a process has open (its sockets, mostly). @param {number} pid */
export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/**
 * This process's open-file limit (soft, hard) from /proc/self/limits.
 * @returns {{ soft: number, hard: number }}
 */
export function fileLimit() {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync("/proc/self/limits", "utf8"));
  const n = (/** @type {string | undefined} */ x) => (x === "unlimited" ? Infinity : Number(x));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}
