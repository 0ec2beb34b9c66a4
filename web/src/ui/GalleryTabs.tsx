/**
 * A chat's "Mídias", "Áudios" and "Documentos" (R5, R14, issue 17): tabs over the
 * chat's gallery, newest first, a page at a time; pictures and documents open in
 * a new tab or download, voice notes and audio files play right here.
 * Shared by the contact panel and the group data panel.
 */
import type { Gallery, GalleryKind } from "../stores/gallery";
import { t } from "../i18n";
import { formatDate, formatTime } from "../model/dates";
import type { FileLink } from "./Attachment";
import { parts } from "./panels-parts";

export function GalleryTabs({
  gallery,
  link,
  onTab,
  onMore,
}: {
  gallery: Gallery | null;
  link: FileLink;
  onTab(kind: GalleryKind): void;
  onMore(): void;
}) {
  const kind = gallery?.kind ?? "media";
  const items = gallery?.items ?? [];
  return (
    <>
      <parts.TabList
        id="gallery"
        selected={kind}
        onSelect={onTab}
        tabs={[
          { key: "media", label: t.media },
          { key: "audio", label: t.audios },
          { key: "documents", label: t.documents },
        ]}
      />
      <div {...parts.tabPanel("gallery", kind)}>
        {gallery && !gallery.loading && items.length === 0 && (
          <p class="muted small empty">{kind === "media" ? t.noMedia : kind === "audio" ? t.noAudios : t.noDocuments}</p>
        )}
        {kind === "media" ? (
          <ul class="media-grid">
            {items.map((m) =>
              m.attachment ? (
                <li key={m.seq}>
                  <a href={link(m.attachment.fileId) || undefined} target="_blank" rel="noopener noreferrer" title={m.attachment.name}>
                    {m.attachment.kind === "image" ? (
                      <img src={link(m.attachment.fileId) || undefined} alt={m.attachment.name} loading="lazy" />
                    ) : (
                      <span class="media-video-tile">
                        <parts.PlayIcon size={28} />
                        <span class="sr-only">{m.attachment.name}</span>
                      </span>
                    )}
                  </a>
                </li>
              ) : null,
            )}
          </ul>
        ) : kind === "audio" ? (
          <ul class="doc-list audio-list">
            {items.map((m) => {
              const a = m.attachment;
              if (!a) return null;
              const when = `${formatDate(m.createdAt)} ${formatTime(m.createdAt)}`;
              return (
                <li key={m.seq} class="audio-item">
                  {a.kind === "voice" ? (
                    <parts.VoicePlayer
                      src={link(a.fileId)}
                      durationMs={a.durationMs ?? 0}
                      label={`${t.voiceNote}, ${when}`}
                      contentType={a.contentType}
                      download={link(a.fileId, true)}
                      renew={() => link.renew?.(a.fileId)}
                    />
                  ) : (
                    <>
                      <span class="doc-name">{a.name}</span>
                      <audio src={link(a.fileId) || undefined} controls preload="none" aria-label={a.name} />
                    </>
                  )}
                  <span class="muted small">{when}</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <ul class="doc-list">
            {items.map((m) => (m.attachment ? <li key={m.seq}>{<parts.DocumentCard attachment={m.attachment} link={link} />}</li> : null))}
          </ul>
        )}
        {gallery?.loading && <p class="muted small">{t.loading}</p>}
        {gallery?.hasMore && !gallery.loading && (
          <button type="button" class="link" onClick={onMore}>
            {t.loadMore}
          </button>
        )}
      </div>
    </>
  );
}
