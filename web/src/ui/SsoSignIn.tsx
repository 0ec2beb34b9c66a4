/**
 * The sign-in page's part for the company's identity provider (issue 18.1):
 * the button "Entrar com a conta da empresa" (a link to the server's start,
 * which redirects to the provider), and, when the company turned passwords off,
 * the note that replaces "Login" + "Senha".
 */
import { t } from "../i18n";

export function SsoSignIn({ href, passwords, onStart }: { href: string; passwords: boolean; onStart(): void }) {
  return (
    <div class="sso-signin">
      <a
        class="primary sso-button"
        href={href}
        onClick={(e) => {
          e.preventDefault();
          onStart();
        }}
      >
        {t.ssoSignIn}
      </a>
      {passwords ? (
        <p class="sso-or muted" aria-hidden="true">
          {t.ssoOr}
        </p>
      ) : (
        <p class="muted small">{t.ssoOnly}</p>
      )}
    </div>
  );
}
