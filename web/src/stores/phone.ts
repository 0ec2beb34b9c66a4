/**
 * The softphone (R2, R22–R24, R26): a sip.js user agent registered with the
 * sip-proxy as the signed-in user's extension, and the calls it places and takes
 * as call cards (model/callCard.ts). This module and sip.js load on demand
 * (ui/calls/loader.tsx), so they never weigh on the first screen; the session and contacts come
 * through stores/softphone-host.ts (why: there).
 *
 * Where the proxy is and which ICE servers to use come only from the platform
 * (issue 12.1): `POST /api/tenants/{t}/sip/ticket` answers them with a one-time
 * ticket, and every (re)connection of the transport asks for a new ticket
 * (stores/sip-transport.ts). Nothing in the page's address or markup can point
 * the phone elsewhere, and the session's token never reaches the proxy.
 *
 * Users enabled for Atendimento hand each call to the page that embeds or opened
 * the app, by postMessage (R26, issue 12.2) — only to that page, only when its
 * origin is one the deployment allows (`embedOrigins`), and only that page may
 * drive calls back, with messages that validate (protocol/embed.ts). With no
 * allowed origin, there is no hand-off: those users get the call card too.
 */
import { computed, signal } from "@preact/signals";
import type { Inviter, Invitation, Registerer, Session, UserAgent, Web } from "sip.js";
import * as v from "valibot";
import { CALL_EVENT, EmbedCallAction, type EmbedCallEvent } from "../../../protocol/embed";
import { actions, newCard, step, type Card, type CardEvent, type EndCause } from "../model/callCard";
import type { Lifetime } from "./lifetime";
import { host } from "./softphone-host";

// sip.js's API layer only: its package root also builds `Core` and `Web` namespace objects, which
// would pull an esbuild runtime helper into a chunk every chunk, the first screen's too, imports (issue 7).
type Sip = typeof import("sip.js/lib/api/index.js");
export type PhoneStatus = "off" | "loading" | "registering" | "ready" | "no-extension" | "error";

export const phoneStatus = signal<PhoneStatus>("off");
/** Why the phone could not start, for the UI to put in words (ui/calls/strings.ts). */
export type PhoneProblem =
  { kind: "not-loaded" } | { kind: "not-configured" } | { kind: "unreachable" } | { kind: "refused"; status: number; reason?: string };
export const phoneError = signal<PhoneProblem | null>(null);
export const cards = signal<Card[]>([]);
/** The origins allowed to embed the app and drive its softphone (`embedOrigins`), once known. */
const embedOrigins = signal<readonly string[]>([]);
/** Atendimento users' calls go to the Atendimento screen instead of the card (R26), when embedding is configured. */
export const handedOff = computed(
  () => embedOrigins.value.length > 0 && (host.session.value?.user.modules.includes("atendimento") ?? false),
);
export const hasExtension = computed(() => !!host.session.value?.user.extension);

const DOMAIN = "conversas.invalid";
const params = new URLSearchParams(location.search);
const REDIRECT = document.querySelector<HTMLMetaElement>('meta[name="conversas-atendimento-url"]')?.content ?? null;

let sip: Sip | null = null;
let ua: UserAgent | null = null;
let starting: Promise<void> | null = null;
let registerer: Registerer | null = null;
const sessions = new Map<string, Session>();
const audios = new Map<string, HTMLAudioElement>();

function update(id: string, ev: CardEvent) {
  const next = cards.peek().map((c) => (c.id === id ? step(c, ev) : c));
  cards.value = next;
  const card = next.find((c) => c.id === id);
  if (!card) return;
  handOff(card);
  // A plain hang-up leaves the screen by itself; a failure stays until read and closed.
  if (ev.type === "ended" && !card.error) setTimeout(() => dismiss(id), 3000);
}

function nameFor(number: string): string | null {
  return host.contacts.peek().find((c) => c.extension === number)?.name ?? null;
}

/** The page that embeds (iframe) or opened (popup) the app, if any: the only one the hand-off talks to. */
function embedder(): Window | null {
  if (window.parent !== window) return window.parent;
  return window.opener ? (window.opener as Window) : null;
}

/** R26: the call's details to the embedding page, only if its origin is allowed (the browser checks the target origin). */
function handOff(card: Card) {
  if (!handedOff.peek()) return;
  const target = embedder();
  if (target) {
    const msg: EmbedCallEvent = {
      type: CALL_EVENT,
      direction: card.direction,
      state: card.phase,
      callId: card.id,
      number: card.number,
      name: card.name,
    };
    // Never "*": one post per allowed origin, which the browser delivers only if the page is of that origin.
    for (const origin of embedOrigins.peek()) target.postMessage(msg, origin);
  }
  if (REDIRECT && card.phase === "ringing") {
    const url = new URL(REDIRECT, location.href);
    for (const [k, v] of Object.entries({ callId: card.id, number: card.number, direction: card.direction })) url.searchParams.set(k, v);
    window.open(url.href, "conversas-atendimento");
  }
}

/** R26: an action from the embedding page — from an allowed origin, from that very window, and well formed — or nothing. */
function onEmbedMessage(e: MessageEvent) {
  if (!handedOff.peek() || !embedOrigins.peek().includes(e.origin)) return;
  const from = embedder();
  if (!from || e.source !== from) return;
  const parsed = v.safeParse(EmbedCallAction, e.data);
  if (!parsed.success) return;
  const a = parsed.output;
  if (a.action === "dial") void call(a.number);
  else if (a.action === "answer") void answer(a.callId);
  else void hangup(a.callId);
}

async function micCheck(): Promise<EndCause | null> {
  if (!navigator.mediaDevices?.getUserMedia) return { kind: "no-device" };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    stream.getTracks().forEach((t) => t.stop());
    return null;
  } catch (e) {
    const name = (e as { name?: string }).name;
    return name === "NotFoundError" || name === "OverconstrainedError" ? { kind: "no-device" } : { kind: "mic-denied" };
  }
}

function track(id: string, s: Session) {
  sessions.set(id, s);
  s.stateChange.addListener((state) => {
    if (state === sip!.SessionState.Established) {
      update(id, { type: "accepted", at: Date.now() });
      const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
      if (sdh) {
        const audio = new Audio();
        audio.autoplay = true;
        audio.srcObject = sdh.remoteMediaStream;
        audios.set(id, audio);
      }
    } else if (state === sip!.SessionState.Terminated) {
      // sip.js reports Terminated before the final response's own handler: let that name the reason first.
      setTimeout(() => {
        const card = cards.peek().find((c) => c.id === id);
        if (card && card.phase !== "ended") update(id, { type: "ended", at: Date.now(), cause: { kind: "hangup" } });
      }, 0);
      sessions.delete(id);
      audios.get(id)?.pause();
      audios.delete(id);
    }
  });
}

function onInvite(inv: Invitation) {
  const id = inv.request.callId;
  const number = inv.remoteIdentity.uri.user ?? "";
  cards.value = [...cards.peek(), newCard(id, "inbound", number, nameFor(number), Date.now())];
  handOff(cards.peek().at(-1)!);
  track(id, inv);
}

async function start(): Promise<void> {
  const s = host.session.peek();
  if (!s) return;
  if (!s.user.extension) {
    phoneStatus.value = "no-extension";
    return;
  }
  phoneStatus.value = "loading";
  phoneError.value = null;
  try {
    sip ??= await import("sip.js/lib/api/index.js");
  } catch {
    starting = null;
    phoneStatus.value = "error";
    phoneError.value = { kind: "not-loaded" };
    return;
  }
  if (host.session.peek()?.user.id !== s.user.id) return;
  // No softphone in this deployment (`/api/config`): nothing to ask for.
  if ((await host.publicConfig())?.softphone === false) {
    starting = null;
    phoneStatus.value = "error";
    phoneError.value = { kind: "not-configured" };
    return;
  }
  // Where the proxy is, the ICE servers and the first ticket, from the platform; then a new ticket per connection.
  const first = await host.sipTicket();
  if (!first || host.session.peek()?.user.id !== s.user.id) return;
  if (!first.ok) {
    starting = null;
    phoneStatus.value = "error";
    phoneError.value = first.status === 404 ? { kind: "not-configured" } : { kind: "unreachable" };
    return;
  }
  const { ticketTransport, ticketUrl } = await import("./sip-transport");
  let unused: string | null = ticketUrl(first.value.url, first.value.ticket);
  const fresh = async () => {
    const ready = unused;
    unused = null;
    if (ready) return ready;
    const next = await host.sipTicket();
    if (!next?.ok) throw new Error(`no SIP ticket (${next ? next.status : "signed out"})`);
    return ticketUrl(next.value.url, next.value.ticket);
  };
  const agent = new sip.UserAgent({
    uri: sip.UserAgent.makeURI(`sip:${s.user.extension}@${DOMAIN}`)!,
    displayName: s.user.name,
    transportConstructor: ticketTransport(fresh),
    // sip.js validates this address; the transport replaces it with a ticketed one before each connection.
    transportOptions: { server: first.value.url },
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: first.value.iceServers ?? [] },
      iceGatheringTimeout: 1000,
    },
    logBuiltinEnabled: false,
    logLevel: "error",
    reconnectionAttempts: 1000,
    reconnectionDelay: 3,
    delegate: {
      onInvite,
      // The proxy forgets a binding with its socket: register again after each reconnection.
      // Its state may not change (it never saw the binding go), so the accepted REGISTER itself says "ready".
      onConnect: () =>
        void registerer?.register({ requestDelegate: { onAccept: () => void (phoneStatus.value = "ready") } }).catch(() => undefined),
      onDisconnect: () => {
        if (phoneStatus.peek() === "ready") phoneStatus.value = "registering";
      },
    },
  });
  ua = agent;
  phoneStatus.value = "registering";
  try {
    await agent.start();
  } catch {
    // Dropped, so the next need (opening the tab, a call) tries again.
    void agent.stop().catch(() => undefined);
    ua = null;
    phoneStatus.value = "error";
    phoneError.value = { kind: "unreachable" };
    return;
  }
  registerer = new sip.Registerer(agent, { expires: 300 });
  registerer.stateChange.addListener((st) => {
    if (st === sip!.RegistererState.Registered) phoneStatus.value = "ready";
  });
  await registerer.register({
    requestDelegate: {
      onAccept: () => void (phoneStatus.value = "ready"),
      onReject: (res) => {
        phoneStatus.value = "error";
        phoneError.value = { kind: "refused", status: res.message.statusCode ?? 500, reason: res.message.reasonPhrase };
      },
    },
  });
}

/** Loads sip.js and registers, once; safe to call from any button. */
export function ensurePhone(): Promise<void> {
  if (phoneStatus.peek() === "error" && !ua) starting = null;
  starting ??= start();
  return starting;
}

/** The phone registers again when the person or their extension changes; a renewed access token changes nothing. */
const phoneKey = computed(() => {
  const s = host.session.value;
  return s ? `${s.tenant}|${s.user.id}|${s.user.extension ?? ""}` : null;
});

/**
 * Registers the phone for the session, again whenever the token or the extension
 * changes, and takes the Atendimento screen's commands (R26); stopping hangs up
 * every call and unregisters.
 */
export function startPhone(life: Lifetime): void {
  life.effect(() => {
    if (!phoneKey.value) return;
    // Calls must be able to ring in without the tab ever being opened (this module itself loads after sign-in).
    void ensurePhone();
    return () => {
      for (const s of sessions.values()) void hangupSession(s);
      void ua?.stop().catch(() => undefined);
      ua = null;
      registerer = null;
      starting = null;
      cards.value = [];
      phoneStatus.value = "off";
      phoneError.value = null;
    };
  });

  // R26: the embedding page's allowed origins, then the actions it sends back.
  void host.publicConfig().then((c) => {
    if (c && !life.stopped) embedOrigins.value = c.embedOrigins;
  });
  life.on(window, "message", onEmbedMessage);
  life.add(() => (embedOrigins.value = []));

  // A test-only window into the calls: `?debug` in the address (never set in normal use).
  if (params.has("debug")) {
    const w = window as unknown as { __conversasPhone?: unknown };
    w.__conversasPhone = {
      peerConnections: () => [...sessions.keys()].map((id) => sdhOf(id)?.peerConnection ?? null).filter(Boolean),
      status: () => phoneStatus.peek(),
    };
    life.add(() => delete w.__conversasPhone);
  }
}

async function hangupSession(s: Session) {
  if (!sip) return;
  if (s instanceof sip.Inviter) {
    if (s.state === sip.SessionState.Established) await s.bye();
    else if (s.state === sip.SessionState.Establishing || s.state === sip.SessionState.Initial) await s.cancel();
  } else if (s instanceof sip.Invitation) {
    if (s.state === sip.SessionState.Established) await s.bye();
    else if (s.state === sip.SessionState.Initial || s.state === sip.SessionState.Establishing) await s.reject({ statusCode: 603 });
  }
}

/** Places a call to an extension or number (R22). */
export async function call(number: string): Promise<void> {
  const target = number.replace(/[^0-9+*#]/g, "");
  if (!target) return;
  const at = Date.now();
  const local = `local-${at}-${Math.random().toString(36).slice(2)}`;
  cards.value = [...cards.peek(), newCard(local, "outbound", target, nameFor(target), at)];
  const fail = (cause: EndCause) => update(local, { type: "ended", at: Date.now(), cause });
  if (!hasExtension.peek()) return fail({ kind: "no-extension" });
  const mic = await micCheck();
  if (mic) return fail(mic);
  await ensurePhone();
  if (!ua || !sip || phoneStatus.peek() !== "ready") return fail({ kind: "unreachable" });
  const inviter: Inviter = new sip.Inviter(ua, sip.UserAgent.makeURI(`sip:${target}@${DOMAIN}`)!, {
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  });
  const id = inviter.request.callId;
  cards.value = cards.peek().map((c) => (c.id === local ? { ...c, id } : c));
  handOff(cards.peek().find((c) => c.id === id)!);
  track(id, inviter);
  await inviter
    .invite({
      requestDelegate: {
        onReject: (res) =>
          update(id, {
            type: "ended",
            at: Date.now(),
            cause: { kind: "sip", status: res.message.statusCode ?? 500, reason: res.message.reasonPhrase },
          }),
      },
    })
    .catch(() => update(id, { type: "ended", at: Date.now(), cause: { kind: "unreachable" } }));
}

export async function answer(id: string): Promise<void> {
  const s = sessions.get(id);
  if (!sip || !(s instanceof sip.Invitation)) return;
  update(id, { type: "answer" });
  const mic = await micCheck();
  if (mic) {
    await s.reject({ statusCode: 480 }).catch(() => undefined);
    return update(id, { type: "ended", at: Date.now(), cause: mic });
  }
  await s.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } }).catch(() => {
    update(id, { type: "ended", at: Date.now(), cause: { kind: "unreachable" } });
  });
}

/** Hang up, cancel or decline, whichever the call's state calls for. */
export async function hangup(id: string): Promise<void> {
  const s = sessions.get(id);
  if (s) await hangupSession(s).catch(() => undefined);
  else dismiss(id);
}

export function dismiss(id: string) {
  cards.value = cards.peek().filter((c) => c.id !== id);
}

function sdhOf(id: string) {
  return sessions.get(id)?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
}

export function setMuted(id: string, on: boolean) {
  const card = cards.peek().find((c) => c.id === id);
  if (!card || !actions(card).includes("mute")) return;
  sdhOf(id)?.enableSenderTracks(!on && !card.held);
  update(id, { type: "mute", on });
}

/** Hold and resume by re-INVITE with sendonly / sendrecv (sip.js `hold`). */
export async function setHeld(id: string, on: boolean): Promise<void> {
  const s = sessions.get(id);
  const card = cards.peek().find((c) => c.id === id);
  if (!s || !card || card.phase !== "active") return;
  s.sessionDescriptionHandlerOptionsReInvite = { hold: on } as object;
  await new Promise<void>((resolve) => {
    s.invite({
      requestDelegate: {
        onAccept: () => {
          sdhOf(id)?.enableSenderTracks(!on && !card.muted);
          update(id, { type: "hold", on });
          resolve();
        },
        onReject: () => resolve(),
      },
    }).catch(() => resolve());
  });
}

/** DTMF as RFC 4733 telephone-events in the audio stream, which an IVR hears as input. */
export function sendTone(id: string, tone: string): boolean {
  return sdhOf(id)?.sendDtmf(tone) ?? false;
}

/** Blind transfer (REFER) to an extension or number. */
export async function transfer(id: string, number: string): Promise<boolean> {
  const s = sessions.get(id);
  const target = number.replace(/[^0-9+*#]/g, "");
  if (!s || !sip || !target) return false;
  return new Promise((resolve) => {
    s.refer(sip!.UserAgent.makeURI(`sip:${target}@${DOMAIN}`)!, {
      requestDelegate: {
        // Blind transfer: once the other side takes the REFER, our leg is done.
        onAccept: () => {
          resolve(true);
          void hangupSession(s).catch(() => undefined);
        },
        onReject: () => resolve(false),
      },
    }).catch(() => resolve(false));
  });
}
