/**
 * The sign-in form (R1): "Empresa", "Login", "Senha" and "Entrar". The server's
 * refusal is shown as an alert above the button; the form keeps what was typed
 * except the password. When the company signs in with its identity provider
 * (issue 18.1), "Entrar com a conta da empresa" shows under "Empresa", and
 * "Login" + "Senha" only while the company still allows them.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { ChatIcon } from "./icons";
import { SsoSignIn } from "./SsoSignIn";

/** Issue 18.1: the company's sign-in with its identity provider, when it has one. */
type Sso = { href: string; passwords: boolean; onStart(): void };

type Props = {
  initialTenant: string;
  busy: boolean;
  error: string | null;
  onSubmit(tenant: string, login: string, password: string): Promise<void>;
  /** Issue 18.1: told what "Empresa" holds (on load and as it is typed); `sso` is what that company allows. */
  onTenantChange?(tenant: string): void;
  sso?: Sso | null;
};

export function SignIn({ initialTenant, busy, error, onSubmit, onTenantChange, sso }: Props) {
  const [tenant, setTenant] = useState(initialTenant);
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => onTenantChange?.(initialTenant), []);
  const passwords = !sso || sso.passwords;

  async function submit(e: Event) {
    e.preventDefault();
    if (!passwords) return;
    await onSubmit(tenant, login, password);
    setPassword("");
    passwordRef.current?.focus();
  }

  return (
    <main class="signin">
      <form class="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div class="signin-brand">
          <span class="brand-mark">
            <ChatIcon size={22} />
          </span>
          <span>{t.appName}</span>
        </div>
        <h1 id="signin-title">{t.signInTitle}</h1>
        <p class="muted">{t.signInHint}</p>
        <label class="field">
          <span>{t.tenant}</span>
          <input
            name="empresa"
            value={tenant}
            onInput={(e) => {
              setTenant(e.currentTarget.value);
              onTenantChange?.(e.currentTarget.value);
            }}
            autocomplete="organization"
            autoCapitalize="none"
            spellcheck={false}
            required
            autoFocus={!initialTenant}
          />
        </label>
        {sso && <SsoSignIn href={sso.href} passwords={sso.passwords} onStart={sso.onStart} />}
        {passwords && (
          <>
            <label class="field">
              <span>{t.login}</span>
              <input
                name="login"
                value={login}
                onInput={(e) => setLogin(e.currentTarget.value)}
                autocomplete="username"
                autoCapitalize="none"
                spellcheck={false}
                required
                autoFocus={!!initialTenant}
              />
            </label>
            <label class="field">
              <span>{t.password}</span>
              <input
                ref={passwordRef}
                name="senha"
                type="password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                autocomplete="current-password"
                required
              />
            </label>
          </>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {passwords && (
          <button class="primary" type="submit" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        )}
        {!passwords && busy && <p role="status">{t.signingIn}</p>}
      </form>
    </main>
  );
}
