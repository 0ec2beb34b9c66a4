/**
 * The format a voice note is recorded in (R9, issue 17 item 11): the first the
 * browser's MediaRecorder supports of AAC in MP4 (plays everywhere, Safari and
 * iPhones included), Opus in WebM (Chrome, Edge, Firefox), then the other
 * containers; and the file's type and name from what the recorder really used.
 */
const PREFERRED = ["audio/mp4;codecs=mp4a.40.2", "audio/webm;codecs=opus", "audio/mp4", "audio/ogg;codecs=opus", "audio/webm"];

const EXTENSION: Record<string, string> = {
  "audio/mp4": "m4a",
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
};

/** The mimeType to ask the recorder for, or null to let it choose (none of ours is supported). */
export function pickVoiceType(isTypeSupported: (type: string) => boolean): string | null {
  for (const type of PREFERRED) {
    try {
      if (isTypeSupported(type)) return type;
    } catch {
      /* a browser that throws on a type it does not know: try the next */
    }
  }
  return null;
}

/** The recording's file type (no codecs parameter) and name, from the recorder's own mimeType. */
export function voiceFile(recorderType: string, stamp: string): { type: string; name: string } {
  const type = recorderType.split(";")[0]!.trim().toLowerCase() || "audio/webm";
  return { type, name: `audio-${stamp}.${EXTENSION[type] ?? "webm"}` };
}
