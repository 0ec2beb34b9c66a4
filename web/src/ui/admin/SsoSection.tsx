/**
 * "Conta da empresa (SSO)" (issue 18.1): the company's OpenID Connect provider —
 * on or off, issuer, client id, the client secret (write-only: it is never shown,
 * left blank it stays), the claim that holds the login, and whether "Login" +
 * "Senha" still work — with the redirect URI to register at the provider.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { SsoView } from "../../../../protocol/admin";
import { callbackUrl, checkSso, ssoForm, type SsoField, type SsoForm } from "../../model/admin-settings";
import { loadSso, saveSso, ssoConfig } from "../../stores/admin-company";
import { passwordsOn } from "../../stores/admin-users";
import { seam } from "../../stores/admin-seam";
import { CheckField, Done, FormAlert, focusFirstInvalid, TextField } from "./Field";
import { WhenLoaded } from "./Load";
import { refusalText, words } from "./strings";

export function SsoSection() {
  return (
    <WhenLoaded state={ssoConfig.value} what={words.ssoError} retry={() => void loadSso()}>
      {(value) => <SsoEditor stored={value} />}
    </WhenLoaded>
  );
}

function SsoEditor({ stored }: { stored: SsoView | null }) {
  const [form, setForm] = useState<SsoForm>(() => ssoForm(stored));
  const [problems, setProblems] = useState<Partial<Record<SsoField, string>>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => setForm(ssoForm(stored)), [stored]);
  const set =
    <K extends keyof SsoForm>(key: K) =>
    (value: SsoForm[K]) =>
      setForm({ ...form, [key]: value });

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setDone(false);
    const checked = checkSso(form, stored);
    if (!checked.ok) {
      setProblems(Object.fromEntries(checked.errors.map((f) => [f, words.ssoFieldErrors[f]])));
      setAlert(words.fixFields(checked.errors.map((f) => words.ssoFields[f])));
      return focusFirstInvalid(ref.current);
    }
    setBusy(true);
    const res = await saveSso(checked.body);
    setBusy(false);
    if (res.ok) {
      setProblems({});
      setAlert(null);
      setDone(true);
      passwordsOn.value = !res.value.enabled || res.value.passwordSignIn;
      return;
    }
    const field = res.field && res.field in words.ssoFields ? (res.field as SsoField) : null;
    setProblems(field ? { [field]: `${words.ssoFields[field]}: ${res.error}` } : {});
    setAlert(field ? words.fixFields([words.ssoFields[field]]) : refusalText(res));
    focusFirstInvalid(ref.current);
  }

  const redirect = stored?.redirectUri ?? callbackUrl(location.origin, seam.session.value?.tenant ?? "");
  return (
    <form ref={ref} class="admin-sso" onSubmit={submit} noValidate aria-labelledby="sso-title">
      <h2 id="sso-title">{words.ssoTitle}</h2>
      <p class="admin-hint">{words.ssoHint}</p>
      {!stored && <p class="muted">{words.ssoNotYet}</p>}
      <TextField id="sso-redirect" label={words.ssoRedirect} value={redirect} onValue={() => {}} readOnly />
      <CheckField
        id="sso-enabled"
        label={words.ssoFields.enabled}
        checked={form.enabled}
        onChecked={set("enabled")}
        error={problems.enabled}
      />
      <div class="admin-grid">
        <TextField
          id="sso-issuer"
          type="url"
          label={words.ssoFields.issuer}
          value={form.issuer}
          onValue={set("issuer")}
          error={problems.issuer}
          placeholder="https://login.exemplo.com/…"
          autoCapitalize="none"
          spellcheck={false}
          required
        />
        <TextField
          id="sso-client-id"
          label={words.ssoFields.clientId}
          value={form.clientId}
          onValue={set("clientId")}
          error={problems.clientId}
          autoCapitalize="none"
          spellcheck={false}
          required
        />
        <TextField
          id="sso-client-secret"
          type="password"
          label={words.ssoFields.clientSecret}
          value={form.clientSecret}
          onValue={set("clientSecret")}
          hint={stored?.hasSecret ? words.ssoSecretKept : words.ssoSecretNone}
          error={problems.clientSecret}
          autocomplete="off"
        />
        <TextField
          id="sso-claim"
          label={words.ssoFields.loginClaim}
          value={form.loginClaim}
          onValue={set("loginClaim")}
          hint={words.ssoClaimHint}
          error={problems.loginClaim}
          autoCapitalize="none"
          spellcheck={false}
        />
      </div>
      <CheckField
        id="sso-passwords"
        label={words.ssoFields.passwordSignIn}
        checked={form.passwordSignIn}
        onChecked={set("passwordSignIn")}
        hint={words.ssoPasswordsHint}
        error={problems.passwordSignIn}
      />
      <FormAlert>{alert}</FormAlert>
      {done && <Done>{words.ssoSaved}</Done>}
      <div class="admin-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? words.saving : words.save}
        </button>
      </div>
    </form>
  );
}
