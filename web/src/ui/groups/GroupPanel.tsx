/**
 * "Dados do grupo" (R14–R18): the group's image (any member may change it) and
 * name (edited in place: Enter saves, Escape cancels), its members and admins,
 * "Mídias" and "Documentos", "Adicionar membros" and "Sair do grupo". Admins also
 * get, beside everyone else, the "X" that removes them and a clickable status
 * that promotes ("Tornar Admin") or demotes ("Remover Admin"); for members those
 * are plain text. The room checks every action again.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { GroupInfo, Role } from "../../../../protocol/groups";
import type { PublicUser } from "../../../../protocol/http";
import type { Gallery, GalleryKind } from "../../stores/gallery";
import { t } from "../../i18n";
import type { FileLink } from "../Attachment";
import { Avatar } from "../Avatar";
import { GalleryTabs } from "../GalleryTabs";
import { AddMembersDialog } from "./AddMembersDialog";
import { parts } from "../panels-parts";

export type GroupActions = {
  rename(name: string): void;
  image(file: File): void;
  add(userIds: string[]): void;
  remove(userId: string): void;
  role(userId: string, role: Role): void;
  leave(): void;
};

type Props = {
  chatId: string;
  group: GroupInfo | null;
  me: string;
  nameOf(userId: string): string;
  avatarOf(userId: string): string | null;
  imageUrl: string | null;
  /** Contacts not in the group yet, for "Adicionar membros". */
  addable: PublicUser[];
  gallery: Gallery | null;
  link: FileLink;
  onTab(kind: GalleryKind): void;
  onMore(): void;
  onClose(): void;
  actions: GroupActions;
};

function GroupName({ name, onSave }: { name: string; onSave(name: string): void }) {
  const [editing, setEditing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);
  if (!editing) {
    return (
      <div class="group-name">
        <h3>{name}</h3>
        <button type="button" class="link" aria-label={t.editName} onClick={() => setEditing(true)}>
          ✎
        </button>
      </div>
    );
  }
  return (
    <input
      ref={input}
      class="group-name-input"
      aria-label={t.groupName}
      defaultValue={name}
      maxLength={parts.MAX_GROUP_NAME}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          setEditing(false);
        } else if (e.key === "Enter") {
          const next = e.currentTarget.value.trim();
          if (next && next !== name) onSave(next);
          setEditing(false);
        }
      }}
      onBlur={() => setEditing(false)}
    />
  );
}

export function GroupPanel(props: Props) {
  const { chatId, group, me, nameOf, actions } = props;
  const closeButton = useRef<HTMLButtonElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const [adding, setAdding] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [roleMenu, setRoleMenu] = useState<string | null>(null);
  useEffect(() => closeButton.current?.focus(), []);
  const admin = parts.isGroupAdmin(group, me);
  const name = group?.name ?? "";

  return (
    <aside
      class="contact-panel group-panel"
      aria-label={t.groupData}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !adding && !confirmLeave && !removing) props.onClose();
      }}
    >
      <header class="panel-header">
        <h2>{t.groupData}</h2>
        <button ref={closeButton} type="button" class="icon-button" aria-label={t.close} title={t.close} onClick={props.onClose}>
          <parts.CloseIcon />
        </button>
      </header>
      <div class="panel-body">
        <div class="panel-person">
          {/* Named by its visible words (the picture is decorative), so what people see is what they say (axe). */}
          <button type="button" class="group-image" onClick={() => file.current?.click()}>
            <Avatar id={chatId} name={name} url={props.imageUrl} size={96} />
            <span class="group-image-label">{t.changeImage}</span>
          </button>
          <input
            ref={file}
            type="file"
            accept="image/*"
            hidden
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = "";
              if (f) actions.image(f);
            }}
          />
          {group && <GroupName name={name} onSave={actions.rename} />}
          {group && <p class="muted small">{t.memberCount(group.members.length)}</p>}
        </div>
        {group && (
          <section class="group-members" aria-label={t.members}>
            <h4>{t.members}</h4>
            <ul>
              {parts.sortedMembers(group.members, nameOf).map((m) => {
                const who = m.userId === me ? t.you : nameOf(m.userId);
                const status = m.role === "admin" ? t.admin : t.member;
                const canManage = admin && m.userId !== me;
                return (
                  <li key={m.userId} class="group-member">
                    <Avatar id={m.userId} name={nameOf(m.userId)} url={props.avatarOf(m.userId)} size={32} />
                    <span class="group-member-name">{who}</span>
                    {canManage ? (
                      <span class="role-wrap">
                        <button
                          type="button"
                          class={`role role-${m.role}`}
                          aria-expanded={roleMenu === m.userId}
                          aria-label={`${status}: ${nameOf(m.userId)}`}
                          onClick={() => setRoleMenu(roleMenu === m.userId ? null : m.userId)}
                        >
                          {status}
                        </button>
                        {roleMenu === m.userId && (
                          <button
                            type="button"
                            class="role-action"
                            onClick={() => {
                              setRoleMenu(null);
                              actions.role(m.userId, m.role === "admin" ? "member" : "admin");
                            }}
                          >
                            {m.role === "admin" ? t.removeAdmin : t.makeAdmin}
                          </button>
                        )}
                      </span>
                    ) : (
                      <span class={`role role-${m.role}`}>{status}</span>
                    )}
                    {canManage && (
                      <button
                        type="button"
                        class="icon-button small"
                        aria-label={t.removeMemberLabel(nameOf(m.userId))}
                        title={t.removeMemberLabel(nameOf(m.userId))}
                        onClick={() => setRemoving(m.userId)}
                      >
                        <parts.CloseIcon size={16} />
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
            <button type="button" class="button secondary" onClick={() => setAdding(true)}>
              {t.addMembers}
            </button>
          </section>
        )}
        <GalleryTabs gallery={props.gallery} link={props.link} onTab={props.onTab} onMore={props.onMore} />
        {group && (
          <button type="button" class="button danger leave" onClick={() => setConfirmLeave(true)}>
            {t.leaveGroup}
          </button>
        )}
      </div>
      {adding && <AddMembersDialog people={props.addable} onAdd={actions.add} onClose={() => setAdding(false)} />}
      {removing && (
        <parts.ConfirmDialog
          title={t.confirmRemove(nameOf(removing))}
          confirm={t.remove}
          onConfirm={() => actions.remove(removing)}
          onClose={() => setRemoving(null)}
        />
      )}
      {confirmLeave && (
        <parts.ConfirmDialog title={t.leaveGroup} confirm={t.leaveGroup} onConfirm={actions.leave} onClose={() => setConfirmLeave(false)}>
          <p>{t.confirmLeave}</p>
          {parts.leavingOrphansGroup(group, me) && (
            <p class="warning" role="alert">
              {t.lastAdminWarning}
            </p>
          )}
        </parts.ConfirmDialog>
      )}
    </aside>
  );
}
