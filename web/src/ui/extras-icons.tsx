/** The icons only issue 17's on-demand parts draw (on the shared frame of icon-frame.tsx). */
import { glyph } from "./icon-frame";

export { SmileIcon } from "./icon-frame";

export const ChevronUpIcon = glyph("M6 15l6-6 6 6");
export const ChevronDownIcon = glyph("M6 9l6 6 6-6");
