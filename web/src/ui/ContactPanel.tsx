/**
 * The contact data panel of a 1:1 chat (R5), opened by "Dados do contato": avatar,
 * name, status ("on-line"/"off-line"), "Sobre" (e-mail, department; a section
 * that expands, open at first, as the help page describes it), and the chat's "Mídias" and "Documentos",
 * newest first, a page at a time, each opening in a new tab or downloading.
 */
import { useEffect, useRef } from "preact/hooks";
import type { PublicUser } from "../../../protocol/http";
import type { Gallery, GalleryKind } from "../stores/gallery";
import { t } from "../i18n";
import type { FileLink } from "./Attachment";
import { Avatar } from "./Avatar";
import { GalleryTabs } from "./GalleryTabs";
import { parts } from "./panels-parts";

export function ContactPanel({
  contact,
  fallbackId,
  gallery,
  link,
  onTab,
  onMore,
  onClose,
  online = null,
}: {
  online?: boolean | null;
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
          <parts.CloseIcon />
        </button>
      </header>
      <div class="panel-body">
        <div class="panel-person">
          <Avatar id={contact?.id ?? fallbackId} name={contact?.name ?? fallbackId} url={contact?.avatarUrl ?? null} size={96} />
          <h3>{contact?.name ?? fallbackId}</h3>
          <p class="panel-status">
            <parts.Presence online={online} label />
          </p>
        </div>
        {contact && (
          <details class="panel-about" open>
            <summary>
              <h4>{t.about}</h4>
            </summary>
            <dl>
              <dt>{t.email}</dt>
              <dd>{contact.email}</dd>
              <dt>{t.department}</dt>
              <dd>{contact.department}</dd>
            </dl>
          </details>
        )}
        <GalleryTabs gallery={gallery} link={link} onTab={onTab} onMore={onMore} />
      </div>
    </aside>
  );
}
