import { describe, expect, it } from "vitest";
import { actions, END_TEXT, endText, newCard, step, timer, type Card, type CardEvent } from "./callCard";

const out = () => newCard("c1", "outbound", "2002", "Bruno", 1000);
const inc = () => newCard("c2", "inbound", "2001", "Ana", 1000);

describe("call card state machine (R23, R24)", () => {
  it("R23: an outgoing call waits ('Em espera') with only hang up, then offers the in-call actions and a timer", () => {
    const c = out();
    expect(c.phase).toBe("dialing");
    expect(actions(c)).toEqual(["hangup"]);
    const a = step(c, { type: "accepted", at: 5000 });
    expect(a.phase).toBe("active");
    expect(a.answeredAt).toBe(5000);
    expect(actions(a)).toEqual(["keypad", "transfer", "mute", "hold", "hangup"]);
  });

  it("R24: an incoming call offers 'Recusar'/'Atender'; answering then being accepted makes it active", () => {
    const c = inc();
    expect(actions(c)).toEqual(["decline", "answer"]);
    const answering = step(c, { type: "answer" });
    expect(answering.phase).toBe("answering");
    expect(step(answering, { type: "accepted", at: 2000 }).phase).toBe("active");
  });

  it("R23: mute and hold only change an active call, and are independent", () => {
    expect(step(out(), { type: "mute", on: true }).muted).toBe(false);
    const a = step(out(), { type: "accepted", at: 1 });
    const m = step(a, { type: "mute", on: true });
    const h = step(m, { type: "hold", on: true });
    expect([h.muted, h.held]).toEqual([true, true]);
    expect(step(h, { type: "hold", on: false })).toMatchObject({ muted: true, held: false });
  });

  it("R23: an ended call stays ended whatever comes later, with the reason in pt-BR", () => {
    const e = step(out(), { type: "ended", at: 9, cause: { kind: "sip", status: 486 } });
    expect(e).toMatchObject({ phase: "ended", error: END_TEXT.busy, endedAt: 9 });
    expect(actions(e)).toEqual(["dismiss"]);
    for (const ev of [{ type: "accepted", at: 10 }, { type: "answer" }, { type: "mute", on: true }] as CardEvent[])
      expect(step(e, ev)).toBe(e);
  });

  it("R23: each failure has its own message; a normal hang-up or a cancel has none", () => {
    expect(endText({ kind: "hangup" })).toBeNull();
    expect(endText({ kind: "sip", status: 487 })).toBeNull();
    expect(endText({ kind: "sip", status: 408 })).toBe(END_TEXT.noAnswer);
    expect(endText({ kind: "sip", status: 480 })).toBe(END_TEXT.noAnswer);
    expect(endText({ kind: "sip", status: 603 })).toBe(END_TEXT.rejected);
    expect(endText({ kind: "sip", status: 502 })).toBe(END_TEXT.unreachable);
    expect(endText({ kind: "mic-denied" })).toBe(END_TEXT.micDenied);
    expect(endText({ kind: "no-device" })).toBe(END_TEXT.noDevice);
    expect(endText({ kind: "unreachable" })).toBe(END_TEXT.unreachable);
    expect(endText({ kind: "sip", status: 499 })).toContain("499");
  });

  it("issue 12.1: the sip-proxy's refusals read as what they mean", () => {
    expect(endText({ kind: "sip", status: 403, reason: "Forbidden (number not allowed)" })).toBe(
      "Você não tem permissão para ligar para este número.",
    );
    expect(endText({ kind: "sip", status: 403, reason: "Forbidden (PBX refused the credentials)" })).toBe(
      "A central recusou as credenciais do seu ramal. Avise o administrador.",
    );
    expect(endText({ kind: "sip", status: 403, reason: "Forbidden (PBX refused the credentials; retry later)" })).toBe(
      END_TEXT.badCredentials,
    );
    expect(endText({ kind: "sip", status: 403, reason: "Forbidden (too many call attempts)" })).toBe(END_TEXT.tooManyCalls);
    expect(endText({ kind: "sip", status: 403, reason: "Forbidden" })).toBe(END_TEXT.forbidden);
    expect(endText({ kind: "sip", status: 484, reason: "Address Incomplete (unknown number)" })).toBe("Número inválido");
    expect(endText({ kind: "sip", status: 503, reason: "Service Unavailable (restarting)" })).toBe(
      "Serviço de telefonia indisponível. Tente de novo em instantes.",
    );
  });

  it("R23: random event sequences never leave 'ended', and only an active call is ever muted or held", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const events: CardEvent[] = [
      { type: "answer" },
      { type: "accepted", at: 3 },
      { type: "mute", on: true },
      { type: "mute", on: false },
      { type: "hold", on: true },
      { type: "hold", on: false },
      { type: "ended", at: 4, cause: { kind: "hangup" } },
    ];
    for (let run = 0; run < 300; run++) {
      let c: Card = rnd() < 0.5 ? out() : inc();
      let wasEnded = false;
      for (let i = 0; i < 12; i++) {
        const before = c;
        c = step(c, events[Math.floor(rnd() * events.length)]!);
        if (wasEnded) expect(c).toBe(before);
        if (c.phase === "ended") wasEnded = true;
        if (c.phase !== "active" && c.phase !== "ended") expect([c.muted, c.held]).toEqual([false, false]);
      }
    }
  });

  it("R23: the timer reads m:ss, and h:mm:ss past an hour", () => {
    expect(timer(0)).toBe("0:00");
    expect(timer(65_400)).toBe("1:05");
    expect(timer(3_725_000)).toBe("1:02:05");
  });
});
