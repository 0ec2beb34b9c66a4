/**
 * The one WebSocket client every bench scenario uses, against the real server and
 * the raw `ws` baseline alike, so the two are measured with exactly the same code:
 * connect, wait for `chat.ready`, send frames, and wait (always with a deadline)
 * for the frames that answer them. Every received frame is JSON-parsed, on both
 * targets, so parsing costs the same on each side.
 */
import WebSocket from "ws";

/** @typedef {Record<string, any> & { type: string }} Frame */

export class Peer {
  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    /** @type {Set<(f: Frame) => void>} */
    this.listeners = new Set();
    /** @type {Error | null} set once the socket closes, so waits fail fast instead of timing out */
    this.closed = null;
    ws.on("message", (data) => {
      const frame = /** @type {Frame} */ (JSON.parse(data.toString()));
      for (const l of [...this.listeners]) l(frame);
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
 * Opens a socket and waits for its `chat.ready`.
 * @param {string} url
 * @param {number} [timeoutMs]
 * @returns {Promise<{ peer: Peer, ready: Frame, ms: number }>}
 */
export function openChat(url, timeoutMs = 15_000) {
  const t0 = performance.now();
  // Compression off: the server side may not negotiate it, and it would skew the baseline.
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const peer = new Peer(ws);
  const ready = peer.waitFor((f) => f.type === "chat.ready", timeoutMs, "chat.ready");
  ws.on("error", () => {
    /* surfaces as a close; the wait above then rejects */
  });
  ws.on("unexpected-response", (_req, res) => {
    peer.closed = new Error(`upgrade refused: HTTP ${res.statusCode}`);
    ws.terminate();
  });
  return ready.then(
    (frame) => ({ peer, ready: frame, ms: performance.now() - t0 }),
    (err) => {
      ws.terminate();
      throw peer.closed ?? err;
    },
  );
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
