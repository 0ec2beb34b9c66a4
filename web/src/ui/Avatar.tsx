/**
 * A person's picture, or their initials on a colour derived from their id when
 * they have none (or it fails to load). Decorative: the name is always beside it.
 */
import { useState } from "preact/hooks";
import { initialsOf } from "../model/initials";

const COLOURS = ["#0f766e", "#7c3aed", "#c2410c", "#1d4ed8", "#be185d", "#4d7c0f", "#0369a1", "#a16207"];

function colourOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

export function Avatar({ id, name, url, size = 40 }: { id: string; name: string; url?: string | null; size?: number }) {
  const [broken, setBroken] = useState(false);
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.38)}px` };
  if (url && !broken) return <img class="avatar" src={url} alt="" style={style} onError={() => setBroken(true)} />;
  return (
    <span class="avatar avatar-initials" aria-hidden="true" style={{ ...style, background: colourOf(id) }}>
      {initialsOf(name)}
    </span>
  );
}
