/**
 * The sign-in form (R1): "Empresa", "Login", "Senha" and "Entrar". The server's
 * refusal is shown as an alert above the button; the form keeps what was typed
 * except the password.
 */
import { useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { ChatIcon } from "./icons";

type Props = {
  initialTenant: string;
  busy: boolean;
  error: string | null;
  onSubmit(tenant: string, login: string, password: string): Promise<void>;
};

export function SignIn({ initialTenant, busy, error, onSubmit }: Props) {
  const [tenant, setTenant] = useState(initialTenant);
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
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
            onInput={(e) => setTenant(e.currentTarget.value)}
            autocomplete="organization"
            autoCapitalize="none"
            spellcheck={false}
            required
            autoFocus={!initialTenant}
          />
        </label>
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
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
