/**
 * An attachment inside a message (R9): images as thumbnails that open full size
 * in a new tab, videos and audio as inline players, voice notes as a compact
 * player with elapsed / total time and a progress bar, anything else as a card
 * (icon, name, size, type) that opens in a new tab or downloads. File names are
 * text, never markup.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Attachment } from "../../../protocol/frames";
import { formatDuration, formatSize, typeLabel } from "../model/files";
import { t } from "../i18n";
import { DownloadIcon, FileIcon, PauseIcon, PlayIcon } from "./icons";

/** Where a stored file is read from; `download` asks for Content-Disposition: attachment. */
export type FileLink = (fileId: string, download?: boolean) => string;

export function VoicePlayer({
  src,
  durationMs,
  label = t.voiceNote,
  contentType,
  download,
}: {
  src: string;
  durationMs: number;
  label?: string;
  /** The stored type, to tell at once when this browser cannot play it. */
  contentType?: string;
  /** Where to download it instead, when it cannot be played here. */
  download?: string;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [unplayable, setUnplayable] = useState(false);
  useEffect(() => {
    const type = contentType?.split(";")[0];
    setUnplayable(!!type && typeof document !== "undefined" && document.createElement("audio").canPlayType(type) === "");
  }, [contentType]);
  // Recorded webm has no duration in its header; the recorder's measure is the truth.
  const total = Math.max(durationMs, elapsed);
  useEffect(() => {
    setPlaying(false);
    setElapsed(0);
  }, [src]);
  const toggle = () => {
    const el = audio.current;
    if (!el) return;
    if (el.paused) void el.play().catch(() => setPlaying(false));
    else el.pause();
  };
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
        src={src}
        preload="metadata"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setElapsed(0);
        }}
        onTimeUpdate={(e) => setElapsed(e.currentTarget.currentTime * 1000)}
        // A format this browser cannot decode (say, a WebM note on an old Safari): offer the download instead.
        onError={(e) => e.currentTarget.error?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED && setUnplayable(true)}
      />
    </div>
  );
}

export function DocumentCard({ attachment, link }: { attachment: Attachment; link: FileLink }) {
  return (
    <div class="doc-card">
      <a class="doc-main" href={link(attachment.fileId)} target="_blank" rel="noopener noreferrer" title={t.open}>
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
        href={link(attachment.fileId, true)}
        download={attachment.name}
        aria-label={`${t.download} ${attachment.name}`}
      >
        <DownloadIcon size={18} />
      </a>
    </div>
  );
}

export function AttachmentView({ attachment, link }: { attachment: Attachment; link: FileLink }) {
  const src = link(attachment.fileId);
  switch (attachment.kind) {
    case "image":
      return (
        <a class="media-link" href={src} target="_blank" rel="noopener noreferrer" title={t.open}>
          <img class="media-thumb" src={src} alt={attachment.name} loading="lazy" />
        </a>
      );
    case "video":
      return <video class="media-video" src={src} controls preload="metadata" aria-label={attachment.name} />;
    case "voice":
      return (
        <VoicePlayer
          src={src}
          durationMs={attachment.durationMs ?? 0}
          contentType={attachment.contentType}
          download={link(attachment.fileId, true)}
        />
      );
    case "audio":
      return (
        <div class="audio-file">
          <span class="doc-name">{attachment.name}</span>
          <audio src={src} controls preload="metadata" aria-label={attachment.name} />
        </div>
      );
    default:
      return <DocumentCard attachment={attachment} link={link} />;
  }
}
