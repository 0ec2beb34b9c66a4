/**
 * An attachment inside a message (R9): images as thumbnails that open full size
 * in a new tab, videos and audio as inline players, voice notes as a compact
 * player with elapsed / total time and a progress bar, anything else as a card
 * (icon, name, size, type) that opens in a new tab or downloads. File names are
 * text, never markup. Every address is a short-lived signed link (issue 12.5)
 * that arrives after the first render: pictures and videos keep their exact
 * shape meanwhile (the uploader measured it), so nothing moves when they load; a
 * player keeps the address it started with while it plays, and asks for a new
 * one when that one has run out.
 */
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Attachment } from "../../../protocol/chat";
import { formatDuration, formatSize, mediaBox, typeLabel } from "../model/files";
import { t } from "../i18n";
import { DownloadIcon, FileIcon, PauseIcon, PlayIcon } from "./icons";

/**
 * Where a stored file is read from ("" until its signed address arrives);
 * `download` asks for Content-Disposition: attachment; `renew` asks for a new
 * address when one failed to load.
 */
export type FileLink = ((fileId: string, download?: boolean) => string) & { renew?(fileId: string): void };

/**
 * The address a media element plays: the newest one while it is paused, the one
 * it started with while it plays (a new address would restart it). `onError`
 * asks for a new address; the element switches to it as it arrives.
 */
function useMediaSrc(src: string, element: RefObject<HTMLMediaElement | null>, renew?: () => void) {
  const [held, setHeld] = useState(src);
  const latest = useRef(src);
  latest.current = src;
  useEffect(() => {
    if (src && src !== held && (!held || !element.current || element.current.paused)) setHeld(src);
  }, [src]);
  return {
    src: held,
    onPause: () => {
      if (latest.current && latest.current !== held) setHeld(latest.current);
    },
    onError: () => {
      if (element.current?.error?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED && held === latest.current) renew?.();
    },
  };
}

export function VoicePlayer({
  src,
  durationMs,
  label = t.voiceNote,
  contentType,
  download,
  renew,
}: {
  src: string;
  durationMs: number;
  label?: string;
  /** The stored type, to tell at once when this browser cannot play it. */
  contentType?: string;
  /** Where to download it instead, when it cannot be played here. */
  download?: string;
  /** Asks for a new address when this one failed (a signed link that ran out). */
  renew?: () => void;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const media = useMediaSrc(src, audio as RefObject<HTMLMediaElement | null>, renew);
  const [playing, setPlaying] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [unplayable, setUnplayable] = useState(false);
  /** One new address per failure before the format is blamed. */
  const renewed = useRef(false);
  useEffect(() => {
    renewed.current = false;
  }, [media.src]);
  useEffect(() => {
    const type = contentType?.split(";")[0];
    setUnplayable(!!type && typeof document !== "undefined" && document.createElement("audio").canPlayType(type) === "");
  }, [contentType]);
  // Recorded webm has no duration in its header; the recorder's measure is the truth.
  const total = Math.max(durationMs, elapsed);
  useEffect(() => {
    setPlaying(false);
    setElapsed(0);
  }, [media.src]);
  /** "Reproduzir" pressed before the address arrived: it plays as soon as it does. */
  const playWhenReady = useRef(false);
  const toggle = () => {
    const el = audio.current;
    if (!el) return;
    if (!media.src) playWhenReady.current = !playWhenReady.current;
    else if (el.paused) void el.play().catch(() => setPlaying(false));
    else el.pause();
  };
  useEffect(() => {
    if (!media.src || !playWhenReady.current) return;
    playWhenReady.current = false;
    void audio.current?.play().catch(() => setPlaying(false));
  }, [media.src]);
  if (unplayable)
    return (
      <div class="voice" role="group" aria-label={label}>
        <span class="small muted">{t.cannotPlayHere}</span>
        {download && (
          <a class="icon-button small" href={download} aria-label={`${t.download} ${label}`}>
            <DownloadIcon size={18} />
          </a>
        )}
      </div>
    );
  return (
    <div class="voice" role="group" aria-label={label}>
      <button type="button" class="icon-button small" aria-label={playing ? t.pause : t.play} onClick={toggle}>
        {playing ? <PauseIcon size={18} /> : <PlayIcon size={18} />}
      </button>
      <progress class="voice-bar" max={total || 1} value={elapsed} aria-label={label} />
      <span class="voice-time">
        {formatDuration(elapsed)} / {formatDuration(total)}
      </span>
      <audio
        ref={audio}
        src={media.src || undefined}
        preload="metadata"
        onPlay={() => setPlaying(true)}
        onPause={() => {
          setPlaying(false);
          media.onPause();
        }}
        onEnded={() => {
          setPlaying(false);
          setElapsed(0);
        }}
        onTimeUpdate={(e) => setElapsed(e.currentTarget.currentTime * 1000)}
        // A format this browser cannot decode (say, a WebM note on an old Safari): offer the download instead.
        // An address that ran out fails the same way: a new one is asked for first, and only a
        // failure of a fresh address means the format.
        onError={(e) => {
          if (e.currentTarget.error?.code !== MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED) return;
          if (renew && !renewed.current) {
            renewed.current = true;
            media.onError();
          } else setUnplayable(true);
        }}
      />
    </div>
  );
}

export function DocumentCard({ attachment, link }: { attachment: Attachment; link: FileLink }) {
  return (
    <div class="doc-card">
      <a class="doc-main" href={link(attachment.fileId) || undefined} target="_blank" rel="noopener noreferrer" title={t.open}>
        <FileIcon size={28} />
        <span class="doc-text">
          <span class="doc-name">{attachment.name}</span>
          <span class="muted small">
            {typeLabel(attachment)} · {formatSize(attachment.size)}
          </span>
        </span>
      </a>
      <a
        class="icon-button small"
        href={link(attachment.fileId, true) || undefined}
        download={attachment.name}
        aria-label={`${t.download} ${attachment.name}`}
      >
        <DownloadIcon size={18} />
      </a>
    </div>
  );
}

/** A video or an audio file: its player keeps its address while playing (useMediaSrc). */
function Player({ kind, attachment, link }: { kind: "video" | "audio"; attachment: Attachment; link: FileLink }) {
  const element = useRef<HTMLMediaElement>(null);
  const media = useMediaSrc(link(attachment.fileId), element, () => link.renew?.(attachment.fileId));
  const common = {
    src: media.src || undefined,
    controls: true,
    preload: "metadata" as const,
    "aria-label": attachment.name,
    onPause: media.onPause,
    onError: media.onError,
  };
  if (kind === "video") {
    const box = mediaBox(attachment);
    return (
      <video
        ref={element as RefObject<HTMLVideoElement | null>}
        class="media-video"
        style={box ? { width: `${box.width}px`, aspectRatio: box.aspectRatio, height: "auto" } : undefined}
        {...common}
      />
    );
  }
  return <audio ref={element as RefObject<HTMLAudioElement | null>} {...common} />;
}

export function AttachmentView({ attachment, link }: { attachment: Attachment; link: FileLink }) {
  const src = link(attachment.fileId);
  switch (attachment.kind) {
    case "image": {
      // The picture's own shape, measured by the uploader, so the bubble does not move when it loads.
      const box = mediaBox(attachment);
      const style = box ? { width: `${box.width}px`, aspectRatio: box.aspectRatio, height: "auto" } : undefined;
      return src ? (
        <a class="media-link" href={src} target="_blank" rel="noopener noreferrer" title={t.open}>
          <img class="media-thumb" style={style} src={src} alt={attachment.name} loading="lazy" />
        </a>
      ) : (
        <span class="media-link">
          <span class="media-thumb media-waiting" style={style} role="img" aria-label={attachment.name} />
        </span>
      );
    }
    case "video":
      return <Player kind="video" attachment={attachment} link={link} />;
    case "voice":
      return (
        <VoicePlayer
          src={src}
          durationMs={attachment.durationMs ?? 0}
          contentType={attachment.contentType}
          download={link(attachment.fileId, true)}
          renew={() => link.renew?.(attachment.fileId)}
        />
      );
    case "audio":
      return (
        <div class="audio-file">
          <span class="doc-name">{attachment.name}</span>
          <Player kind="audio" attachment={attachment} link={link} />
        </div>
      );
    default:
      return <DocumentCard attachment={attachment} link={link} />;
  }
}
