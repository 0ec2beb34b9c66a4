/**
 * The contact data panel of a 1:1 chat (R5), opened by "Dados do contato": avatar,
 * name, "Sobre" (e-mail, department), and the chat's "Mídias" and "Documentos",
 * newest first, a page at a time, each opening in a new tab or downloading.
 */
import { useEffect, useRef } from "preact/hooks";
import type { PublicUser } from "../../../protocol/http";
import type { Gallery, GalleryKind } from "../stores/gallery";
import { t } from "../i18n";
import { DocumentCard, type FileLink } from "./Attachment";
import { Avatar } from "./Avatar";
import { CloseIcon, PlayIcon } from "./icons";

export function ContactPanel({
  contact,
  fallbackId,
  gallery,
  link,
  onTab,
  onMore,
  onClose,
}: {
  contact: PublicUser | null;
  fallbackId: string;
  gallery: Gallery | null;
  link: FileLink;
  onTab(kind: GalleryKind): void;
  onMore(): void;
  onClose(): void;
}) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  const kind = gallery?.kind ?? "media";
  const items = gallery?.items ?? [];
  const tab = (k: GalleryKind, label: string) => (
    <button type="button" role="tab" class="tab" aria-selected={kind === k} onClick={() => onTab(k)}>
      {label}
    </button>
  );

  return (
    <aside
      class="contact-panel"
      aria-label={t.contactData}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <header class="panel-header">
        <h2>{t.contactData}</h2>
        <button ref={closeButton} type="button" class="icon-button" aria-label={t.close} title={t.close} onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div class="panel-body">
        <div class="panel-person">
          <Avatar id={contact?.id ?? fallbackId} name={contact?.name ?? fallbackId} url={contact?.avatarUrl ?? null} size={96} />
          <h3>{contact?.name ?? fallbackId}</h3>
        </div>
        {contact && (
          <section class="panel-about">
            <h4>{t.about}</h4>
            <dl>
              <dt>{t.email}</dt>
              <dd>{contact.email}</dd>
              <dt>{t.department}</dt>
              <dd>{contact.department}</dd>
            </dl>
          </section>
        )}
        <div class="tabs" role="tablist">
          {tab("media", t.media)}
          {tab("documents", t.documents)}
        </div>
        <div role="tabpanel" aria-label={kind === "media" ? t.media : t.documents}>
          {gallery && !gallery.loading && items.length === 0 && (
            <p class="muted small empty">{kind === "media" ? t.noMedia : t.noDocuments}</p>
          )}
          {kind === "media" ? (
            <ul class="media-grid">
              {items.map((m) =>
                m.attachment ? (
                  <li key={m.seq}>
                    <a href={link(m.attachment.fileId)} target="_blank" rel="noopener noreferrer" title={m.attachment.name}>
                      {m.attachment.kind === "image" ? (
                        <img src={link(m.attachment.fileId)} alt={m.attachment.name} loading="lazy" />
                      ) : (
                        <span class="media-video-tile">
                          <PlayIcon size={28} />
                          <span class="sr-only">{m.attachment.name}</span>
                        </span>
                      )}
                    </a>
                  </li>
                ) : null,
              )}
            </ul>
          ) : (
            <ul class="doc-list">
              {items.map((m) => (m.attachment ? <li key={m.seq}>{<DocumentCard attachment={m.attachment} link={link} />}</li> : null))}
            </ul>
          )}
          {gallery?.loading && <p class="muted small">{t.loading}</p>}
          {gallery?.hasMore && !gallery.loading && (
            <button type="button" class="link" onClick={onMore}>
              {t.loadMore}
            </button>
          )}
        </div>
      </div>
    </aside>
  );
}
