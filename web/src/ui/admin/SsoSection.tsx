/**
 * "Conta da empresa (SSO)" (issue 18.1): the company's OpenID Connect provider —
 * on or off, issuer, client id, the client secret (write-only: it is never shown,
 * left blank it stays), the claim that holds the login, and whether "Login" +
 * "Senha" still work — with the redirect URI to register at the provider.
 */
import { useRef, useState } from "preact/hooks";
import type { SsoView } from "../../../../protocol/admin";
import { callbackUrl, checkSso, ssoForm, type SsoField } from "../../model/admin-settings";
import { loadSso, saveSso, ssoConfig } from "../../stores/admin-company";
import { passwordsOn } from "../../stores/admin-users";
import { seam } from "../../stores/admin-seam";
import { asTyped, CheckField, FormAlert, focusFirstInvalid, formFields, TextField } from "./Field";
import { SaveSetting, settingSection, useStoredForm } from "./Load";
import { refusalText, words } from "./strings";

export const SsoSection = settingSection(ssoConfig, words.ssoError, loadSso, SsoEditor);

function SsoEditor({ stored }: { stored: SsoView | null }) {
  const [form, setForm] = useStoredForm(stored, ssoForm);
  const [problems, setProblems] = useState<Partial<Record<SsoField, string>>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const { text, check } = formFields(form, setForm, words.ssoFields, problems, (key) => `sso-${key}`);

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
      <CheckField {...check("enabled")} />
      <div class="admin-grid">
        <TextField {...text("issuer")} type="url" placeholder="https://login.exemplo.com/…" {...asTyped} required />
        <TextField {...text("clientId", "sso-client-id")} {...asTyped} required />
        <TextField
          {...text("clientSecret", "sso-client-secret")}
          type="password"
          hint={stored?.hasSecret ? words.ssoSecretKept : words.ssoSecretNone}
          autocomplete="off"
        />
        <TextField {...text("loginClaim", "sso-claim")} hint={words.ssoClaimHint} {...asTyped} />
      </div>
      <CheckField {...check("passwordSignIn", "sso-passwords")} hint={words.ssoPasswordsHint} />
      <FormAlert>{alert}</FormAlert>
      <SaveSetting busy={busy} saved={done && words.ssoSaved} />
    </form>
  );
}
