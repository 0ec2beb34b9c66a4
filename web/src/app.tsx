/**
 * The app's composition: the sign-in screen, or the signed-in shell — the
 * sidebar beside the open chat, its data panel, the floating call cards and the
 * "Novo grupo" dialog. Each part reads its stores itself (ui/shell/…); the stores
 * run from start.ts.
 */
import { t } from "./i18n";
import { openChatId } from "./stores/chat";
import { initialTenant, session, signIn, signingIn, signInError } from "./stores/session";
import { panelOpen } from "./stores/view";
import { PhoneCards } from "./ui/calls/loader";
import { SignIn } from "./ui/SignIn";
import { ChatPane } from "./ui/shell/ChatPane";
import { NewGroupHost } from "./ui/shell/groups";
import { InfoPanel } from "./ui/shell/InfoPanel";
import { Sidebar } from "./ui/shell/Sidebar";

export function App() {
  if (!session.value) {
    return <SignIn initialTenant={initialTenant()} busy={signingIn.value} error={signInError.value} onSubmit={signIn} />;
  }
  return (
    <div class={`shell${openChatId.value ? " has-chat" : ""}${openChatId.value && panelOpen.value ? " has-panel" : ""}`}>
      {/* One <h1> per screen (issue 17, axe): the app's name; each chat's name is its <h2>. */}
      <h1 class="visually-hidden">{t.appName}</h1>
      <Sidebar />
      <ChatPane />
      <InfoPanel />
      <PhoneCards />
      <NewGroupHost />
    </div>
  );
}
