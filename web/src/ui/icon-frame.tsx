/**
 * The shared frame of every inline icon, and the glyphs that on-demand code
 * (the softphone's card, the chat's extras) draws too. Apart from ui/icons.tsx, which re-exports
 * them, so that a lazy chunk using the frame does not make every icon of the
 * first screen cross a chunk boundary (esbuild splits by module, and each symbol
 * shared between chunks costs bytes in both; issue 7 keeps the first screen light).
 */
import type { JSX, SVGAttributes } from "preact";

export type IconProps = { label?: string; size?: number };

/** 24×24, stroked with the text colour; decorative unless given a `label`, then announced as an image. */
export function Svg({ label, size = 20, children }: IconProps & { children: JSX.Element | JSX.Element[] }) {
  const a11y: SVGAttributes<SVGSVGElement> = label ? { role: "img", "aria-label": label } : { "aria-hidden": true };
  return (
    <svg
      {...a11y}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  );
}

/** An icon of one stroked path. */
export const glyph = (d: string) => (p: IconProps) => (
  <Svg {...p}>
    <path d={d} />
  </Svg>
);
/** An icon of one stroked path inside the circle several share (clock, alert, smile). */
export const ringed = (d: string) => (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="9" />
    <path d={d} />
  </Svg>
);

export const CloseIcon = glyph("M6 6l12 12M18 6L6 18");
export const PhoneIcon = glyph("M6.5 4h3l1.5 4-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4 1.5v3a2 2 0 0 1-2 2A16 16 0 0 1 4.5 6a2 2 0 0 1 2-2z");
export const SmileIcon = ringed("M8.5 14a4 4 0 0 0 7 0M9 9.5v.01M15 9.5v.01");
