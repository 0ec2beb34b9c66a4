/**
 * The one WebSocket client every bench scenario uses, against the real server and
 * the baselines alike, so they are measured with exactly the same code: connect
 * (with the subprotocols that carry the access token, where the target wants
 * them), wait for `chat.ready`, send frames, and wait (always with a deadline)
 * for the frames that answer them. Every received frame is JSON-parsed, on every
 * target, so parsing costs the same on each side. A server that is about to
 * close a socket says so first (`{"type":"close"}`): the peer closes at once.
 * A room that has not heard from an app socket for a while asks
 * (`presence.check`): the peer answers with `presence.ping`, as the app does.
 */
import WebSocket from "ws";

/** @typedef {Record<string, any> & { type: string }} Frame */
/**
 * Where a socket goes: the address, and the subprotocols it offers (today's
 * server: `conversas` and `bearer.<token>`; the baselines and the previous
 * release: none, the previous release reads `?token=` in the address).
 * @typedef {{ url: string, protocols?: string[] }} Endpoint
 */

/** @param {Endpoint | string} to  @returns {Endpoint} */
export function endpoint(to) {
  return typeof to === "string" ? { url: to } : to;
}

/**
 * A `ws` socket to `to`, compression off (the server side may not negotiate it,
 * and it would skew the baseline).
 * @param {Endpoint | string} to
 */
export function connectSocket(to) {
  const e = endpoint(to);
  return new WebSocket(e.url, e.protocols ?? [], { perMessageDeflate: false });
}

export class Peer {
  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    /** @type {Set<(f: Frame) => void>} */
    this.listeners = new Set();
    /** @type {Error | null} set once the socket closes, so waits fail fast instead of timing out */
    this.closed = null;
    ws.on("message", (data) => {
      const got = /** @type {Frame} */ (JSON.parse(data.toString()));
      // Several frames may come as one (`frames`, to a client that offers conversas.frames): each counts on its own.
      for (const frame of got.type === "frames" ? /** @type {Frame[]} */ (got.frames) : [got]) {
        if (frame.type === "close" && ws.readyState === WebSocket.OPEN) ws.close(frame.code, frame.reason);
        // The app answers a room that asks after a silent tab at once, so a long scenario does not lose its app sockets.
        if (frame.type === "presence.check" && ws.readyState === WebSocket.OPEN) ws.send('{"type":"presence.ping"}');
        for (const l of [...this.listeners]) l(frame);
      }
    });
    ws.on("close", (code, reason) => {
      this.closed ??= new Error(`socket closed ${code} ${reason.toString()}`);
      for (const l of [...this.listeners]) l({ type: "socket.closed", code });
    });
  }

  /** @param {(f: Frame) => void} fn  @returns {() => void} unsubscribe */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** @param {object} frame */
  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  /**
   * Resolves with the first frame matching `pred`; rejects on an `error` frame,
   * on close, or after `timeoutMs`.
   * @param {(f: Frame) => boolean} pred
   * @param {number} timeoutMs
   * @param {string} what  for the error message
   * @returns {Promise<Frame>}
   */
  waitFor(pred, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(this.closed);
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const off = this.on((f) => {
        if (f.type === "error" || f.type === "socket.closed" || pred(f)) {
          clearTimeout(timer);
          off();
          if (pred(f)) resolve(f);
          else reject(new Error(`${what}: got ${JSON.stringify(f)}`));
        }
      });
    });
  }

  /**
   * Closes, waiting at most `graceMs` for the server's half of the close
   * handshake before dropping the connection.
   * @param {number} [graceMs]
   * @returns {Promise<boolean>} whether the handshake completed in time
   */
  close(graceMs = 2000) {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve(false);
      }, graceMs);
      this.ws.once("close", () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.ws.close(1000, "bench done");
    });
  }
}

/**
 * Opens a socket and waits for the first frame of `firstType` (a chat: `chat.ready`;
 * the app's hub socket or the previous release's user room: `inbox.snapshot`).
 * @param {Endpoint | string} to  @param {string} firstType  @param {number} [timeoutMs]
 * @returns {Promise<{ peer: Peer, first: Frame, ms: number }>}
 */
export function openSocket(to, firstType, timeoutMs = 15_000) {
  const t0 = performance.now();
  const ws = connectSocket(to);
  const peer = new Peer(ws);
  const first = peer.waitFor((f) => f.type === firstType, timeoutMs, firstType);
  ws.on("error", () => {
    /* surfaces as a close; the wait above then rejects */
  });
  ws.on("unexpected-response", (_req, res) => {
    peer.closed = new Error(`upgrade refused: HTTP ${res.statusCode}`);
    ws.terminate();
  });
  return first.then(
    (frame) => ({ peer, first: frame, ms: performance.now() - t0 }),
    (err) => {
      ws.terminate();
      throw peer.closed ?? err;
    },
  );
}

/**
 * Opens a chat socket and waits for its `chat.ready`.
 * @param {Endpoint | string} to
 * @param {number} [timeoutMs]
 * @returns {Promise<{ peer: Peer, ready: Frame, ms: number }>}
 */
export async function openChat(to, timeoutMs = 15_000) {
  const { peer, first, ms } = await openSocket(to, "chat.ready", timeoutMs);
  return { peer, ready: first, ms };
}

/**
 * Opens `targets` `batch` at a time, each waiting for `firstType`.
 * @param {(Endpoint | string)[]} targets  @param {string} firstType  @param {number} timeoutMs  @param {number} [batch]
 * @returns {Promise<Peer[]>}
 */
export async function openMany(targets, firstType, timeoutMs, batch = 20) {
  /** @type {Peer[]} */
  const peers = [];
  try {
    for (let i = 0; i < targets.length; i += batch)
      peers.push(...(await Promise.all(targets.slice(i, i + batch).map((t) => openSocket(t, firstType, timeoutMs)))).map((x) => x.peer));
  } catch (err) {
    await Promise.all(peers.map((p) => p.close(250)));
    throw err;
  }
  return peers;
}

let counter = 0;
const runTag = Math.random().toString(36).slice(2, 8);

/** A fresh clientId (the protocol wants 8–64 of [A-Za-z0-9_-]). */
export function nextClientId() {
  return `b${runTag}-${(counter++).toString(36).padStart(6, "0")}`;
}

/**
 * A chat text of about `size` characters that names its clientId, so a reader of
 * the log can tell bench messages apart.
 * @param {string} clientId
 * @param {number} size
 */
export function benchText(clientId, size) {
  const head = `bench ${clientId} `;
  return head + "x".repeat(Math.max(0, size - head.length));
}
