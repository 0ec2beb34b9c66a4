/**
 * The call card's state machine (R23, R24), pure: a call is dialled ("Em espera"
 * until answered) or rings in ("Recebendo"), becomes active when answered (timer,
 * keypad, transfer, mute, hold) and ends with a pt-BR reason when it did not end
 * normally. The phone store feeds it events from sip.js; the card only renders it,
 * so what each phase allows is decided here and unit-tested.
 */

export type Direction = "outbound" | "inbound";
export type Phase = "dialing" | "ringing" | "answering" | "active" | "ended";

export type Card = {
  id: string;
  direction: Direction;
  number: string;
  name: string | null;
  phase: Phase;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  muted: boolean;
  held: boolean;
  /** Why the call ended, when it was not a plain hang-up. */
  error: string | null;
};

/** Why a call could not go on: a SIP status, or a failure before any SIP was sent. */
export type EndCause =
  | { kind: "hangup" }
  /** A final SIP answer; `reason` is its reason phrase, which tells the proxy's 403s apart. */
  | { kind: "sip"; status: number; reason?: string }
  | { kind: "mic-denied" }
  | { kind: "no-device" }
  | { kind: "unreachable" }
  | { kind: "no-extension" };

export type CardEvent =
  | { type: "answer" }
  | { type: "accepted"; at: number }
  | { type: "mute"; on: boolean }
  | { type: "hold"; on: boolean }
  | { type: "ended"; at: number; cause: EndCause };

export type Action = "hangup" | "decline" | "answer" | "keypad" | "transfer" | "mute" | "hold" | "dismiss";

export const END_TEXT = {
  busy: "Ocupado: a pessoa está em outra chamada.",
  noAnswer: "Ninguém atendeu.",
  rejected: "Chamada recusada.",
  notFound: "Número não encontrado ou fora do ar.",
  forbidden: "Chamada não permitida.",
  // The sip-proxy's refusals (issue 12.1 / 16): its reason phrases say which one.
  notAllowed: "Você não tem permissão para ligar para este número.",
  badCredentials: "A central recusou as credenciais do seu ramal. Avise o administrador.",
  tooManyCalls: "Muitas chamadas em pouco tempo. Aguarde um instante e tente de novo.",
  invalidNumber: "Número inválido",
  serviceDown: "Serviço de telefonia indisponível. Tente de novo em instantes.",
  unreachable: "Não foi possível falar com o servidor de chamadas.",
  micDenied: "O navegador negou acesso ao microfone. Libere o microfone para fazer chamadas.",
  noDevice: "Nenhum microfone encontrado neste computador.",
  noExtension: "Sem ramal: você não pode fazer ou receber chamadas",
  failed: (status: number) => `A chamada falhou (código ${status}).`,
};

/** A 403 from the sip-proxy, by its reason phrase: "Forbidden (number not allowed)", "(PBX refused the credentials…)", … */
export function forbiddenText(reason: string): string {
  if (/number not allowed/i.test(reason)) return END_TEXT.notAllowed;
  if (/credentials/i.test(reason)) return END_TEXT.badCredentials;
  if (/too many/i.test(reason)) return END_TEXT.tooManyCalls;
  return END_TEXT.forbidden;
}

export function endText(cause: EndCause): string | null {
  switch (cause.kind) {
    case "hangup":
      return null;
    case "mic-denied":
      return END_TEXT.micDenied;
    case "no-device":
      return END_TEXT.noDevice;
    case "unreachable":
      return END_TEXT.unreachable;
    case "no-extension":
      return END_TEXT.noExtension;
    case "sip": {
      const s = cause.status;
      if (s === 486 || s === 600) return END_TEXT.busy;
      if (s === 408 || s === 480 || s === 487) return s === 487 ? null : END_TEXT.noAnswer;
      if (s === 603) return END_TEXT.rejected;
      if (s === 484) return END_TEXT.invalidNumber;
      if (s === 404 || s === 410) return END_TEXT.notFound;
      if (s === 403) return forbiddenText(cause.reason ?? "");
      if (s === 503) return END_TEXT.serviceDown;
      if (s >= 500) return END_TEXT.unreachable;
      return END_TEXT.failed(s);
    }
  }
}

export function newCard(id: string, direction: Direction, number: string, name: string | null, at: number): Card {
  return {
    id,
    direction,
    number,
    name,
    phase: direction === "outbound" ? "dialing" : "ringing",
    startedAt: at,
    answeredAt: null,
    endedAt: null,
    muted: false,
    held: false,
    error: null,
  };
}

/** The next card; events that make no sense in the current phase leave it unchanged. */
export function step(card: Card, ev: CardEvent): Card {
  if (card.phase === "ended") return card;
  switch (ev.type) {
    case "answer":
      return card.phase === "ringing" ? { ...card, phase: "answering" } : card;
    case "accepted":
      return card.phase === "active" ? card : { ...card, phase: "active", answeredAt: ev.at };
    case "mute":
      return card.phase === "active" ? { ...card, muted: ev.on } : card;
    case "hold":
      return card.phase === "active" ? { ...card, held: ev.on } : card;
    case "ended":
      return { ...card, phase: "ended", endedAt: ev.at, error: endText(ev.cause) };
  }
}

/** The buttons the card offers in each phase, in display order. */
export function actions(card: Card): Action[] {
  switch (card.phase) {
    case "dialing":
      return ["hangup"];
    case "ringing":
      return ["decline", "answer"];
    case "answering":
      return ["hangup"];
    case "active":
      return ["keypad", "transfer", "mute", "hold", "hangup"];
    case "ended":
      return ["dismiss"];
  }
}

/** "m:ss" (or "h:mm:ss") since the call was answered. */
export function timer(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
