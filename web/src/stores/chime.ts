/**
 * "Som de notificação" (issue 17 item 9): a short two-note sound when a message
 * arrives while the page is hidden, made with WebAudio (no sound file to ship).
 * On by default; the choice is remembered in this browser. Browsers let a page
 * make sound only after someone interacted with it, so the audio context is made
 * on the first click or key press (Safari wants that) or, failing that, at the
 * first chime; and several hidden tabs of one person chime once per message, not
 * once each.
 */
import { signal } from "@preact/signals";
import { isNewWhileHidden } from "../model/notify";
import { openChatId } from "./chat";
import { onConversationUpdated } from "./inbox";
import type { Lifetime } from "./lifetime";
import { readKey, writeKey } from "./persisted";
import { session } from "./session";

const KEY = "conversas.som";
const LAST_KEY = "conversas.som.ultima";

export const soundOn = signal(readKey(KEY) !== "0");

export function setSound(on: boolean): void {
  soundOn.value = on;
  writeKey(KEY, on ? "1" : "0");
}

let ctx: AudioContext | null = null;

/** The sound itself: two soft notes, a fifth apart, a quarter of a second in all. */
export function chime(): void {
  try {
    // Made here if no click came since the session started: the sign-in's own click lets it play.
    ctx ??= new AudioContext();
    void ctx.resume();
    const start = ctx.currentTime + 0.01;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      const at = start + i * 0.12;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.08, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.11);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.12);
    }
  } catch {
    /* no audio output: the badge and the title still say it */
  }
}

export function startChime(life: Lifetime): void {
  soundOn.value = readKey(KEY) !== "0";
  const unlock = () => {
    if (ctx) return;
    try {
      ctx = new AudioContext();
    } catch {
      /* no WebAudio here */
    }
  };
  life.on(window, "pointerdown", unlock, { capture: true, passive: true });
  life.on(window, "keydown", unlock, { capture: true, passive: true });
  life.add(
    onConversationUpdated((before, after) => {
      const myId = session.peek()?.user.id;
      if (!soundOn.peek() || !myId) return;
      if (!isNewWhileHidden({ before, after, myId, hidden: document.hidden, openChatId: openChatId.peek() })) return;
      // Another hidden tab of this person may have chimed for this very message.
      const id = `${after.chatId}:${after.lastMessage!.seq}`;
      if (readKey(LAST_KEY) === id) return;
      writeKey(LAST_KEY, id);
      chime();
    }),
  );
  life.add(() => {
    void ctx?.close().catch(() => undefined);
    ctx = null;
  });
}
