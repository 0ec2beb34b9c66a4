/**
 * The channel of a shared customer conversation (R30), WhatsApp or WebChat, as an
 * icon named for screen readers; shared by the card and the whole history.
 */
import type { ShareCard as Card } from "../../../protocol/share";
import { t } from "../i18n";
import { Svg } from "./icons";

export function ChannelIcon({ channel, size = 18 }: { channel: Card["channel"]; size?: number }) {
  return channel === "whatsapp" ? (
    <Svg label={t.shareChannel.whatsapp} size={size}>
      <path d="M4 20l1.3-4A8 8 0 1 1 8.4 19z" />
      <path d="M9 9.5c.5 2.5 2.5 4.5 5 5l1.3-1.3-2-1-1 .8a4 4 0 0 1-1.8-1.8l.8-1-1-2z" />
    </Svg>
  ) : (
    <Svg label={t.shareChannel.webchat} size={size}>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
    </Svg>
  );
}
