/**
 * Where a stored file is read from (R9; issue 12.5): a short-lived address the
 * chat room signs for this user and this file (`POST …/files/links`), never the
 * session token. Every <img>, <audio>, <video>, download and gallery tile asks
 * here while it renders; what is missing is asked for in one request per chat
 * shortly after (a batch of up to 100 files), and a signed address is used until
 * shortly before it expires, when everything showing asks again. A file the
 * room does not give (deleted, or not this user's) is not asked for again for a while.
 */
import { signal } from "@preact/signals";
import { chatRoomId } from "../../../protocol/ids";
import type { Lifetime } from "./lifetime";
import { fetchWithSession, session } from "./session";

type Link = { url: string; expiresAt: number };

/** chat id + "/" + file id → its signed address ("" when the room gave none) and when to stop using it (this browser's clock). */
const links = signal<ReadonlyMap<string, Link>>(new Map());
/** Bumped when cached addresses come due, so whatever shows them asks again. */
const due = signal(0);
/** Asked for and not answered yet, by chat. */
const queued = new Map<string, Set<string>>();
const asking = new Set<string>();
let batchTimer: ReturnType<typeof setTimeout> | undefined;
let dueTimer: ReturnType<typeof setTimeout> | undefined;
/** Bumped by each session, so answers for the previous one are dropped. */
let generation = 0;

/** An address is asked for again this long before it expires. */
const RENEW_BEFORE_MS = 30_000;
/** A file the room gave no address for is asked for again after this long. */
const MISSING_MS = 60_000;
/** At most this many files per request (the room's limit). */
const BATCH = 100;

const keyOf = (chatId: string, fileId: string) => `${chatId}/${fileId}`;

/**
 * The signed address of a chat's file ("" until it arrives); `download` asks for
 * Content-Disposition: attachment. Reading it inside a component keeps the
 * component up to date as addresses arrive and are renewed.
 */
export function fileLink(chatId: string, fileId: string, download = false): string {
  void due.value;
  const link = links.value.get(keyOf(chatId, fileId));
  const now = Date.now();
  if (!link || link.expiresAt - RENEW_BEFORE_MS <= now) want(chatId, fileId);
  if (!link || !link.url || link.expiresAt <= now) return "";
  return download ? `${link.url}&download=1` : link.url;
}

/** A media element could not load its address (expired early, a clock apart): ask for a new one. */
export function renewFileLink(chatId: string, fileId: string): void {
  const next = new Map(links.peek());
  if (next.delete(keyOf(chatId, fileId))) links.value = next;
}

function want(chatId: string, fileId: string): void {
  if (asking.has(keyOf(chatId, fileId))) return;
  let files = queued.get(chatId);
  if (!files) queued.set(chatId, (files = new Set()));
  files.add(fileId);
  // One request per chat for everything rendered in the same moment.
  batchTimer ??= setTimeout(flush, 0);
}

function flush(): void {
  batchTimer = undefined;
  const s = session.peek();
  if (!s) return queued.clear();
  for (const [chatId, files] of queued) {
    const ids = [...files];
    for (let i = 0; i < ids.length; i += BATCH) void ask(s.tenant, chatId, ids.slice(i, i + BATCH));
  }
  queued.clear();
}

async function ask(tenant: string, chatId: string, fileIds: string[]): Promise<void> {
  const mine = generation;
  const keys = fileIds.map((f) => keyOf(chatId, f));
  keys.forEach((k) => asking.add(k));
  let answer = null as { links?: Record<string, string>; expiresAt?: number } | null;
  try {
    const res = await fetchWithSession(`/parties/chat/${encodeURIComponent(chatRoomId(tenant, chatId))}/files/links`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fileIds }),
    });
    if (res?.ok) answer = (await res.json()) as typeof answer;
  } catch {
    /* off-line: asked again the next time something shows the file */
  }
  keys.forEach((k) => asking.delete(k));
  if (mine !== generation) return;
  const now = Date.now();
  const next = new Map(links.peek());
  if (answer?.links && typeof answer.expiresAt === "number") {
    // The room's clock decides; if this browser's is far apart, the lifetime is taken as about a few minutes.
    const life = answer.expiresAt - now;
    const expiresAt = now + (life > 2 * RENEW_BEFORE_MS && life < 30 * 60_000 ? life : 4 * 60_000);
    for (const fileId of fileIds) {
      const url = answer.links[fileId];
      next.set(keyOf(chatId, fileId), url ? { url, expiresAt } : { url: "", expiresAt: now + MISSING_MS });
    }
  } else for (const k of keys) next.set(k, { url: "", expiresAt: now + MISSING_MS / 4 });
  links.value = next;
  scheduleDue();
}

/** Wakes whatever shows files when the first cached address comes due. */
function scheduleDue(): void {
  clearTimeout(dueTimer);
  let first = Infinity;
  for (const l of links.peek().values()) first = Math.min(first, l.url ? l.expiresAt - RENEW_BEFORE_MS : l.expiresAt);
  if (first === Infinity) return;
  dueTimer = setTimeout(() => due.value++, Math.max(1_000, first - Date.now()));
}

/** Addresses belong to one session: stopping forgets them all. */
export function startFileLinks(life: Lifetime): void {
  life.add(() => {
    generation += 1;
    clearTimeout(batchTimer);
    clearTimeout(dueTimer);
    batchTimer = undefined;
    queued.clear();
    asking.clear();
    links.value = new Map();
  });
}
