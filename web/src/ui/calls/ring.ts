/**
 * The ring of an incoming call (R24): a two-tone burst every few seconds made
 * with WebAudio, so no sound file is shipped. Rings while any card is ringing.
 */
let ctx: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function burst() {
  try {
    ctx ??= new AudioContext();
    const start = ctx.currentTime;
    for (const [i, freq] of [440, 480].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.4);
      osc.stop(start + i * 0.4 + 0.35);
    }
  } catch {
    /* no audio output: the card still shows the call */
  }
}

export function setRinging(on: boolean) {
  if (on && !timer) {
    burst();
    timer = setInterval(burst, 3000);
  } else if (!on && timer) {
    clearInterval(timer);
    timer = null;
  }
}
