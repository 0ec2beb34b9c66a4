import { describe, expect, it } from "vitest";
import { pickVoiceType, voiceFile } from "./voice";

const only =
  (...types: string[]) =>
  (t: string) =>
    types.includes(t);

describe("voice note format (issue 17, R9)", () => {
  it("AAC in MP4 where the recorder has it (plays everywhere), else Opus in WebM", () => {
    expect(pickVoiceType(only("audio/mp4;codecs=mp4a.40.2", "audio/mp4", "audio/webm;codecs=opus"))).toBe("audio/mp4;codecs=mp4a.40.2");
    // Chromium on Linux: no AAC encoder.
    expect(pickVoiceType(only("audio/webm;codecs=opus", "audio/webm", "audio/mp4"))).toBe("audio/webm;codecs=opus");
    // Safari: MP4 only.
    expect(pickVoiceType(only("audio/mp4"))).toBe("audio/mp4");
    // Firefox without WebM audio: Ogg.
    expect(pickVoiceType(only("audio/ogg;codecs=opus"))).toBe("audio/ogg;codecs=opus");
  });

  it("none supported, or a browser that throws: the recorder chooses", () => {
    expect(pickVoiceType(() => false)).toBeNull();
    expect(
      pickVoiceType(() => {
        throw new Error("unknown");
      }),
    ).toBeNull();
  });

  it("the file's type and extension follow what the recorder used", () => {
    expect(voiceFile("audio/webm;codecs=opus", "2026-01-02-10-00-00")).toEqual({
      type: "audio/webm",
      name: "audio-2026-01-02-10-00-00.webm",
    });
    expect(voiceFile("audio/mp4; codecs=mp4a.40.2", "x")).toEqual({ type: "audio/mp4", name: "audio-x.m4a" });
    expect(voiceFile("audio/ogg", "x")).toEqual({ type: "audio/ogg", name: "audio-x.ogg" });
    expect(voiceFile("", "x")).toEqual({ type: "audio/webm", name: "audio-x.webm" });
  });
});
