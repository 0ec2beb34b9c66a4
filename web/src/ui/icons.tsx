/**
 * The few inline icons the client uses (no icon font to download). They are
 * decorative unless given a `label`, in which case they are announced as images.
 * The frame and the glyphs on-demand code shares live in icon-frame.tsx.
 */
import { glyph, ringed, Svg, type IconProps } from "./icon-frame";

export { CloseIcon, PhoneIcon, SmileIcon, Svg } from "./icon-frame";

export const ClockIcon = ringed("M12 7v5l3 2");
export const CheckIcon = glyph("M5 12.5l4.5 4.5L19 7.5");
export const AlertIcon = ringed("M12 7.5v5.5M12 16.5v.01");
export const SendIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 12l16-8-6 16-2.5-6.5z" />
    <path d="M11.5 13.5L20 4" />
  </Svg>
);
export const SearchIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M16 16l4 4" />
  </Svg>
);
export const BackIcon = glyph("M15 5l-7 7 7 7");
export const LogoutIcon = glyph("M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 16l-4-4 4-4M6 12h10");
export const ChatIcon = glyph("M5 18.5V6a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H8.5z");
export const MoreIcon = glyph("M12 5v.01M12 12v.01M12 19v.01");
export const PaperclipIcon = glyph("M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10 17.5a2 2 0 0 1-3-3l7.5-7.5");
export const MicIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />
  </Svg>
);
export const StopIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="6.5" y="6.5" width="11" height="11" rx="2" />
  </Svg>
);
export const TrashIcon = glyph("M4.5 7h15M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5");
export const PlayIcon = glyph("M8 5.5v13l10.5-6.5z");
export const PauseIcon = glyph("M8.5 5.5v13M15.5 5.5v13");
export const FileIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M13.5 3.5H7a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V9z" />
    <path d="M13.5 3.5V9H19" />
  </Svg>
);
export const ForwardIcon = glyph("M14 5l6 6-6 6M20 11H10a6 6 0 0 0-6 6v1");
export const MenuIcon = glyph("M4 6.5h16M4 12h16M4 17.5h16");
export const DownloadIcon = glyph("M12 4v11M7.5 10.5L12 15l4.5-4.5M5 19.5h14");
export const BellIcon = glyph("M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0");
/** Issue 18.3: "Administração" in the user menu (a sliders glyph). */
export const SettingsIcon = glyph("M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4");
/** ✓✓ (issue 17.1: "Entregue" and, in the accent colour, "Lida"). */
export const DoubleCheckIcon = glyph("M2.5 12.5L7 17l9.5-9.5M11 16l1 1 9.5-9.5");
