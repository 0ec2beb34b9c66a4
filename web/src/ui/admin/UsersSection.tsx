/**
 * "Usuários" (issue 18.3): search (name, login, e-mail, department, extension),
 * the enabled filter, pages of the company's users as the server counts them,
 * "Novo usuário", and the selected user's detail beside the list.
 */
import { useState } from "preact/hooks";
import type { AdminUser } from "../../../../protocol/http";
import { pageInfo, type EnabledFilter } from "../../model/admin-users";
import { filterUsers, goToPage, loadUsers, searchUsers, selected, selectUser, usersList, usersQuery } from "../../stores/admin-users";
import { Done, SelectField } from "./Field";
import { AdminTable, LoadFailed } from "./Load";
import { words } from "./strings";
import { NewUserDialog } from "./UserDialogs";
import { UserDetail } from "./UserDetail";

function Pager() {
  const list = usersList.value;
  const { limit } = usersQuery.value;
  if (list.total === 0) return null;
  const p = pageInfo(list.offset, list.users.length, list.total, limit);
  return (
    <nav class="admin-pager" aria-label={words.usersTable}>
      <button
        type="button"
        class="button secondary"
        disabled={!p.hasPrevious || list.status === "loading"}
        onClick={() => goToPage(p.previous)}
      >
        {words.previousPage}
      </button>
      <span aria-live="polite">{words.page(p.from, p.to, p.total)}</span>
      <button type="button" class="button secondary" disabled={!p.hasNext || list.status === "loading"} onClick={() => goToPage(p.next)}>
        {words.nextPage}
      </button>
    </nav>
  );
}

function Row({ user, current }: { user: AdminUser; current: boolean }) {
  return (
    <tr class={current ? "current" : undefined} aria-current={current ? "true" : undefined}>
      <td>
        <button type="button" class="link admin-user-link" aria-label={words.openUser(user.name)} onClick={() => selectUser(user)}>
          {user.name}
        </button>
        {user.admin && <span class="admin-badge">{words.adminBadge}</span>}
        <div class="muted small">{user.email}</div>
      </td>
      <td>{user.login}</td>
      <td>{user.department}</td>
      <td>{user.extension ?? "—"}</td>
      <td>
        <span class={`admin-state ${user.enabled ? "on" : "off"}`}>
          {user.erased ? words.erased : user.enabled ? words.active : words.inactive}
        </span>
      </td>
    </tr>
  );
}

export function UsersSection() {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const list = usersList.value;
  const query = usersQuery.value;
  const current = selected.value;
  return (
    <div class={`admin-users${current ? " with-detail" : ""}`}>
      <div class="admin-list">
        <div class="admin-toolbar" role="search">
          <div class="admin-field grow">
            <label for="admin-user-search">{words.searchUsers}</label>
            <input
              id="admin-user-search"
              type="search"
              value={query.q}
              placeholder={words.searchUsersHint}
              onInput={(e) => searchUsers(e.currentTarget.value)}
              autoComplete="off"
            />
          </div>
          <SelectField<EnabledFilter>
            id="admin-user-enabled"
            label={words.enabledFilter}
            value={query.enabled}
            options={words.enabledChoices}
            onValue={filterUsers}
          />
          <button type="button" class="button" onClick={() => setCreating(true)}>
            {words.newUser}
          </button>
        </div>
        {created && <Done>{created}</Done>}
        {list.status === "error" ? (
          <LoadFailed class="admin-empty" what={words.usersError} error={list.error ?? ""} retry={() => void loadUsers()} />
        ) : (
          <AdminTable
            caption={words.usersTable}
            columns={[words.colName, words.colLogin, words.colDepartment, words.colExtension, words.colStatus]}
            loading={list.status === "loading"}
            empty={list.status === "ready" && list.users.length === 0}
            none={words.noUsers}
          >
            {list.users.map((u) => (
              <Row key={u.id} user={u} current={u.id === current?.id} />
            ))}
          </AdminTable>
        )}
        <Pager />
      </div>
      {current && <UserDetail key={current.id} user={current} />}
      {creating && (
        <NewUserDialog
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setCreated(words.created(user.name));
          }}
        />
      )}
    </div>
  );
}
