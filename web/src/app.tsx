/**
 * The app's composition: the sign-in screen, or the signed-in shell — the
 * sidebar beside the open chat, its data panel, the floating call cards and the
 * "Novo grupo" dialog. Each part reads its stores itself (ui/shell/…); the stores
 * run from start.ts. A company admin's "Administração" (issue 18.3) takes the
 * shell's place while open (its code loads on demand); calls still ring over it.
 */
import { t } from "./i18n";
import { openChatId } from "./stores/chat";
import { initialTenant, session, signIn, signingIn, signInError } from "./stores/session";
import { panelOpen } from "./stores/view";
import { PhoneCards } from "./ui/calls/loader";
import { SignIn } from "./ui/SignIn";
import { adminOpen } from "./stores/admin-access";
import { signInOptions, startSso, watchTenant } from "./stores/sso-signin";
import { ssoStartUrl } from "./model/sso-signin";
import { AdminHost } from "./ui/admin/loader";
import { ChatPane } from "./ui/shell/ChatPane";
import { NewGroupHost } from "./ui/shell/groups";
import { InfoPanel } from "./ui/shell/InfoPanel";
import { Sidebar } from "./ui/shell/Sidebar";

export function App() {
  if (!session.value) {
    const sso = signInOptions.value;
    return (
      <SignIn
        initialTenant={initialTenant()}
        busy={signingIn.value}
        error={signInError.value}
        onSubmit={signIn}
        onTenantChange={watchTenant}
        sso={
          sso?.sso && sso.start ? { href: ssoStartUrl(sso.start, location.pathname), passwords: sso.passwords, onStart: startSso } : null
        }
      />
    );
  }
  if (adminOpen.value)
    return (
      <>
        <AdminHost />
        <PhoneCards />
      </>
    );
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
