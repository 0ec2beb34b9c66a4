/**
 * The deployment's public settings (`GET /api/config`): the origins allowed to
 * embed the app and drive its softphone (R26, issue 12.2) and whether a softphone
 * is configured at all. Asked once per page, again after a failure.
 */
import { signal } from "@preact/signals";
import { getConfig, type PublicConfig } from "./api";

export const publicConfig = signal<PublicConfig | null>(null);
let asking: Promise<PublicConfig | null> | null = null;

/** The settings, asked for once (a failed answer is asked again next time). */
export function loadPublicConfig(): Promise<PublicConfig | null> {
  asking ??= getConfig().then((res) => {
    if (!res.ok) {
      asking = null;
      return null;
    }
    const value = { embedOrigins: res.value.embedOrigins ?? [], softphone: !!res.value.softphone };
    publicConfig.value = value;
    return value;
  });
  return asking;
}
