/**
 * The twelve telephone keys, used by the dialer ("Discador") and by the in-call
 * keypad that sends DTMF (R23). Plain buttons, so Tab/Enter/Space work.
 */
export const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

export function Keypad({ onKey, label }: { onKey(key: string): void; label: string }) {
  return (
    <div class="keypad" role="group" aria-label={label}>
      {KEYS.map((k) => (
        <button type="button" key={k} class="key" onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}
