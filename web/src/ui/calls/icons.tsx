/**
 * Icons only the softphone uses (direction arrows, hang-up, mute, hold, keypad,
 * transfer, backspace), drawn in ui/icon-frame.tsx's frame. Decorative: every button using
 * one has its own aria-label.
 */
import { Svg } from "../icon-frame";

export const InboundIcon = () => (
  <Svg size={18}>
    <path d="M17 7 7 17M7 9v8h8" />
  </Svg>
);
export const OutboundIcon = () => (
  <Svg size={18}>
    <path d="M7 17 17 7M9 7h8v8" />
  </Svg>
);
export const HangupIcon = () => (
  <Svg size={18}>
    <path d="M3 14c5-5 13-5 18 0l-2 3-4-1.5v-2.5a10 10 0 0 0-6 0v2.5L5 17z" />
  </Svg>
);
export const MicOffIcon = () => (
  <Svg size={18}>
    <path d="M9 5a3 3 0 0 1 6 0v5M15 13a3 3 0 0 1-6-1V9M5 11a7 7 0 0 0 11.5 5.3M19 11a7 7 0 0 1-.5 2.6M12 18v3M3 3l18 18" />
  </Svg>
);
export const HoldIcon = () => (
  <Svg size={18}>
    <path d="M9 5v14M15 5v14" />
  </Svg>
);
export const KeypadIcon = () => (
  <Svg size={18}>
    <path d="M6 5h.01M12 5h.01M18 5h.01M6 11h.01M12 11h.01M18 11h.01M6 17h.01M12 17h.01M18 17h.01M12 21h.01" />
  </Svg>
);
export const TransferIcon = () => (
  <Svg size={18}>
    <path d="M4 8h14l-4-4M20 16H6l4 4" />
  </Svg>
);
export const BackspaceIcon = () => (
  <Svg size={18}>
    <path d="M21 5H8l-6 7 6 7h13zM11 9l6 6M17 9l-6 6" />
  </Svg>
);
