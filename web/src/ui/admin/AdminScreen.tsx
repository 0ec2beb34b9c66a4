/**
 * "Administração" (issue 18.3–18.6, 18.1's settings), loaded on demand: the
 * company admin's screen in place of the chats — "Usuários", "Auditoria",
 * "Exportação", "Retenção" and "Conta da empresa (SSO)" as tabs, the downloads
 * under way, and "Voltar às conversas". Its styles come with it (admin.css).
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { enterAudit } from "../../stores/admin-audit";
import { loadRetention, loadSso } from "../../stores/admin-company";
import { leaveExports } from "../../stores/admin-export";
import { enterUsers, leaveUsers } from "../../stores/admin-users";
import { addStylesOnce } from "../add-styles";
import adminCss from "./admin.css" with { type: "text" };
import { AuditSection } from "./AuditSection";
import { ExportJobs, ExportSection } from "./ExportSection";
import { parts, type AdminParts } from "./parts";
import { seam, type AdminSeam } from "../../stores/admin-seam";
import { RetentionSection } from "./RetentionSection";
import { SsoSection } from "./SsoSection";
import { words } from "./strings";
import { UsersSection } from "./UsersSection";

type Section = "users" | "audit" | "export" | "retention" | "sso";
const section = signal<Section>("users");
const TABS: { key: Section; label: string }[] = [
  { key: "users", label: words.usersTab },
  { key: "audit", label: words.auditTab },
  { key: "export", label: words.exportTab },
  { key: "retention", label: words.retentionTab },
  { key: "sso", label: words.ssoTab },
];

/** What each section reads when it is shown (fresh every time: others may have changed it meanwhile). */
const ENTER: Record<Section, () => void> = {
  users: () => {},
  audit: enterAudit,
  export: () => {},
  retention: () => void loadRetention(),
  sso: () => void loadSso(),
};

function select(next: Section) {
  section.value = next;
  ENTER[next]();
}

/** Takes the first screen's stores and components (ui/admin/loader.tsx), before the screen first renders. */
export function connect(stores: AdminSeam, ui: AdminParts): void {
  Object.assign(seam, stores);
  Object.assign(parts, ui);
}

export function AdminScreen() {
  useEffect(() => {
    addStylesOnce(adminCss as string);
    section.value = "users";
    enterUsers();
    // The title takes the focus unless the person already put it somewhere (the search field shows first).
    if (!document.activeElement || document.activeElement === document.body) document.getElementById("admin-title")?.focus();
    return () => {
      leaveUsers();
      leaveExports();
    };
  }, []);
  const current = section.value;
  return (
    <main class="admin" aria-labelledby="admin-title">
      <header class="admin-head">
        <button type="button" class="button secondary" onClick={parts.closeAdmin}>
          <parts.BackIcon size={18} /> {words.back}
        </button>
        <h1 id="admin-title" tabIndex={-1}>
          {words.title}
        </h1>
      </header>
      <parts.TabList<Section> id="admin" label={words.sections} selected={current} onSelect={select} tabs={TABS} />
      <ExportJobs />
      <div class="admin-panel" {...parts.tabPanel("admin", current)}>
        {current === "users" && <UsersSection />}
        {current === "audit" && <AuditSection />}
        {current === "export" && <ExportSection />}
        {current === "retention" && <RetentionSection />}
        {current === "sso" && <SsoSection />}
      </div>
    </main>
  );
}
