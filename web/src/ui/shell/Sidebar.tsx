/**
 * The sidebar of the signed-in shell: who is signed in with the connection pill,
 * their menu ("Som de notificação") and "Sair" (asking first when messages still wait), the "Chats" / "Chamadas"
 * tabs with the unread badge, "Pesquisar" with the "+" of "Novo grupo", the
 * notifications bar, and the conversation list, the smart search's results or
 * the calls tab.
 */
import { t } from "../../i18n";
import { soundOn, setSound } from "../../stores/chime";
import { connectionStatus } from "../../stores/connection";
import { contactResults, contactsStatus, loadContacts, searchQuery } from "../../stores/contacts";
import { inboxLoaded } from "../../stores/inbox";
import { askPermission, dismissPermissionBar, showPermissionBar } from "../../stores/notifications";
import { discardOutbox, pendingCount } from "../../stores/outbox";
import { logOut, logOutEverywhere, me } from "../../stores/session";
import { isAdmin, openAdmin } from "../../stores/admin-access";
import { showNotice } from "../../stores/notice";
import { openChat } from "../../stores/chat";
import { unreadTotal } from "../../stores/unread";
import { confirmingSignOut, sideTab } from "../../stores/view";
import { Avatar } from "../Avatar";
import { CallsSidebar } from "../calls/loader";
import { ConfirmDialog } from "../ConfirmDialog";
import { ConnectionPill } from "../ConnectionPill";
import { ConversationList } from "../ConversationList";
import { ChatIcon, LogoutIcon, PhoneIcon } from "../icons";
import { IconButton } from "../IconButton";
import { NotifyBar } from "../NotifyBar";
import { SearchField } from "../SearchField";
import { TabList, tabPanel } from "../TabList";
import { moveFocus } from "../search-focus";
import { UnreadBadge } from "../UnreadDot";
import { UserMenu } from "../UserMenu";
import { NewGroupButton } from "./groups";
import { conversationRows } from "./rows";
import { SearchResultsHost } from "./search";

/** "Sair" (this session) or "Sair de todos os dispositivos" (every session of the user). */
function leave(how: "here" | "everywhere") {
  if (how === "here") return logOut();
  void logOutEverywhere().then((problem) => problem && showNotice(problem));
}

function Me() {
  const user = me.value!;
  return (
    <header class="me">
      <Avatar id={user.id} name={user.name} url={user.avatarUrl} size={36} />
      <div class="me-text">
        <strong>{user.name}</strong>
        <ConnectionPill status={connectionStatus.value} pending={pendingCount.value} />
      </div>
      <UserMenu
        soundOn={soundOn.value}
        onSound={setSound}
        onSignOutEverywhere={() => (pendingCount.value > 0 ? (confirmingSignOut.value = "everywhere") : leave("everywhere"))}
        onAdmin={isAdmin.value ? openAdmin : undefined}
      />
      <IconButton
        label={t.signOut}
        // Unsent messages would stay in this browser for the next sign-in: on a shared computer, ask first.
        onClick={() => (pendingCount.value > 0 ? (confirmingSignOut.value = "here") : leave("here"))}
      >
        <LogoutIcon />
      </IconButton>
      {confirmingSignOut.value && (
        <ConfirmDialog
          title={t.signOutPendingTitle(pendingCount.value)}
          confirm={t.signOutAnyway}
          onConfirm={() => {
            const how = confirmingSignOut.value || "here";
            discardOutbox();
            leave(how);
          }}
          onClose={() => (confirmingSignOut.value = null)}
        >
          <p>{t.signOutPendingBody}</p>
        </ConfirmDialog>
      )}
    </header>
  );
}

export function Sidebar() {
  const results = contactResults.value;
  return (
    <aside class="sidebar">
      <Me />
      <TabList
        id="modules"
        label={t.modules}
        selected={sideTab.value}
        onSelect={(tab) => (sideTab.value = tab)}
        tabs={[
          {
            key: "chats",
            label: (
              <>
                <ChatIcon size={18} /> {t.chatsTab}
                <UnreadBadge total={unreadTotal.value} />
              </>
            ),
          },
          {
            key: "calls",
            label: (
              <>
                <PhoneIcon size={18} /> {t.callsTab}
              </>
            ),
          },
        ]}
      />
      {showPermissionBar() && <NotifyBar onEnable={() => void askPermission()} onDismiss={dismissPermissionBar} />}
      <div class="sidebar-panel" {...tabPanel("modules", sideTab.value)}>
        {sideTab.value === "chats" && (
          <div class="search-row">
            <SearchField
              value={searchQuery.value}
              onChange={(q) => (searchQuery.value = q)}
              onArrowDown={() => moveFocus(document.activeElement as HTMLElement, 1)}
              focusOnMount
            />
            <NewGroupButton />
          </div>
        )}
        <div class="sidebar-body">
          {sideTab.value === "calls" ? (
            <CallsSidebar />
          ) : results ? (
            contactsStatus.value === "error" ? (
              <div class="empty">
                <p role="alert">{t.contactsError}</p>
                <button type="button" class="link" onClick={() => void loadContacts()}>
                  {t.tryAgain}
                </button>
              </div>
            ) : (
              <SearchResultsHost />
            )
          ) : (
            <ConversationList rows={conversationRows()} loaded={inboxLoaded.value} onOpen={openChat} />
          )}
        </div>
      </div>
    </aside>
  );
}
