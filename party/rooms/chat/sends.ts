/**
 * A conversation room's `message.send` path (R8, R9, R10 "Responder"): the hot
 * path. Sends are committed in groups (issue 15): a send waits for the end of the
 * runtime's current turn, so the sends that arrived meanwhile — a burst, a busy
 * group — are decided together (domain/send-batch.ts, in arrival order) and
 * written in one transaction: one commit, one fsync, for all of them. A lone send
 * waits for nothing else; the turn ends at once. Each is acked and broadcast
 * after the transaction; the runtime's output gate holds those frames until it is
 * durable, so nothing is acknowledged before it is stored.
 *
 * Between reading what it decides on and writing the result there is no await, so
 * two batches cannot race for a seq. Anything else that reads or changes the room
 * (another frame, a connect, a request, a room-to-room call, an alarm) first
 * commits the sends waiting (`flush`), so it sees them and keeps their order.
 * Lists and the search index catch up afterwards, once per batch.
 */
import type { ChatClientFrame, Message } from "../../../protocol/chat";
import { decideSends, type SendOutcome } from "../../domain/send-batch";
import { encode, type Socket } from "../../runtime/host";
import { heldTimer } from "../../runtime/paced";
import { errorFrame } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { fileRecord, markFileUsed } from "./files";
import { messageAt } from "./schema";

type SendFrame = Extract<ChatClientFrame, { type: "message.send" }>;

/** The most sends one transaction takes; a longer queue is committed in several. */
export const SEND_BATCH = 128;

/** What a batch says to each socket (by socket id), encoded, in order. */
type Outbox = Map<string, { socket: Socket; encoded: string[] }>;

type Waiting = { socket: Socket; frame: SendFrame; settle: (err?: unknown) => void };

export interface ChatSends {
  /** Queues a send for this turn's commit; resolves once it is answered (acked, or refused with an error frame). */
  send(socket: Socket, frame: SendFrame): Promise<void>;
  /** Commits the sends waiting now. Never throws: a failed batch rejects its own sends. */
  flush(): void;
}

export function chatSends(ctx: ChatContext): ChatSends {
  const { host } = ctx;
  let waiting: Waiting[] = [];
  const timer = heldTimer(host);

  function flush(): void {
    timer.clear();
    while (waiting.length) {
      const batch = waiting.slice(0, SEND_BATCH);
      waiting = waiting.slice(batch.length);
      let outcomes: SendOutcome[];
      try {
        outcomes = commitBatch(ctx, batch);
      } catch (err) {
        for (const w of batch) w.settle(err);
        continue;
      }
      // Stored: from here on nothing may leave a send unanswered, nor one socket's failure another socket unserved.
      // A client that missed its ack gets it on resend; one that missed a message sees the gap in seq.
      const failed = (err: unknown) => console.error(`chat ${ctx.chatId}: answering a stored batch`, err);
      try {
        // Each socket gets what the batch says to it in one go: one WebSocket message when its client takes frames so.
        const out: Outbox = new Map();
        batch.forEach((w, i) => answerSend(ctx, out, w.socket, w.frame, outcomes[i]!));
        for (const { socket, encoded } of out.values())
          try {
            socket.sendAll(encoded);
          } catch (err) {
            failed(err);
          }
      } catch (err) {
        failed(err);
      } finally {
        if (outcomes.some((o) => o.kind === "append")) ctx.changed({ members: "all", index: true });
        for (const w of batch) w.settle();
      }
    }
  }

  return {
    send(socket, frame) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ socket, frame, settle: (err) => (err === undefined ? resolve() : reject(err)) });
        if (waiting.length >= SEND_BATCH) return flush();
        timer.set(flush, 0);
      });
    },
    flush,
  };
}

/** Decides a batch and writes its new messages in one transaction; returns each send's outcome, in order. */
function commitBatch(ctx: ChatContext, batch: Waiting[]): SendOutcome[] {
  const { state, host } = ctx;
  const sends = batch.map((w) => ({ senderId: w.socket.identity.userId, frame: w.frame }));
  const decide = (seen: (sender: string, clientId: string) => number | undefined) =>
    decideSends(
      state.meta!,
      state.lastSeq,
      sends,
      {
        seen,
        file: (fileId) => fileRecord(host.storage, fileId) ?? undefined,
        message: (seq) => messageAt(host.storage, seq) ?? undefined,
      },
      host.now(),
    );
  const lookUp = (sender: string, clientId: string) =>
    host.storage.one<{ seq: number }>("SELECT seq FROM messages WHERE sender = ? AND client_key = ?", sender, clientId)?.seq;
  // Sends are decided as new without a read: the log's unique (sender, clientId) key refuses a resend, and only
  // then, or when a send is refused (a resend's file is used by now), is each earlier one looked up.
  let outcomes = decide(() => undefined);
  if (outcomes.some((o) => o.kind === "refused")) outcomes = decide(lookUp);
  const write = (list: SendOutcome[]) => {
    const appends = list.filter((o) => o.kind === "append");
    if (!appends.length) return;
    state.commit((tx) => {
      for (const { message, fileRecord: record } of appends) {
        tx.append(message);
        if (record) markFileUsed(host.storage, record.attachment.fileId, message.seq, record.attachment);
      }
    });
  };
  try {
    write(outcomes);
  } catch (err) {
    if (!isResend(err)) throw err;
    // The transaction rolled back whole: decided again against the log, the resends are duplicates.
    outcomes = decide(lookUp);
    write(outcomes);
  }
  return outcomes;
}

/** One send's answer, queued per socket: its ack and broadcast, the ack of the stored one for a resend, or the refusal. */
function answerSend(ctx: ChatContext, out: Outbox, socket: Socket, frame: SendFrame, outcome: SendOutcome): void {
  const to = (s: Socket, data: string) => {
    const queued = out.get(s.id);
    if (queued) queued.encoded.push(data);
    else out.set(s.id, { socket: s, encoded: [data] });
  };
  if (outcome.kind === "refused") {
    const field = outcome.field ? { field: outcome.field } : {};
    to(socket, encode(errorFrame(outcome.code, outcome.message, { clientId: frame.clientId, ...field })));
    return;
  }
  if (outcome.kind === "duplicate") {
    const stored = messageAt(ctx.host.storage, outcome.seq);
    if (stored) to(socket, encode({ type: "message.ack", clientId: frame.clientId, message: stored }));
    return;
  }
  const message: Message = outcome.message;
  to(socket, encode({ type: "message.ack", clientId: frame.clientId, message }));
  const data = encode({ type: "message.new", message });
  for (const s of ctx.host.sockets()) if (s.id !== socket.id) to(s, data);
}

/** The log already holds this sender's message with this clientId (schema.ts `messages_by_client`). */
function isResend(err: unknown): boolean {
  return /UNIQUE constraint failed: messages\.sender, messages\.client_key/.test(String((err as Error)?.message ?? err));
}
