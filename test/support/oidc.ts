/**
 * panva's oidc-provider (a certified OpenID Provider) on 127.0.0.1 for the SSO
 * tests (issue 18.1), and a browser stand-in that walks its sign-in and consent
 * pages with plain HTTP and a cookie jar. Accounts are whoever signs in: the
 * login typed becomes `sub` and `preferred_username`. A test can make the
 * provider misbehave on purpose (`tamper`): an ID token already expired, or one
 * issued for another client (wrong audience), both properly signed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type Tamper = "none" | "expired" | "audience";

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  tamper: Tamper;
  stop(): Promise<void>;
};

export async function startProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "conversas";
  const clientSecret = "segredo-do-cliente-conversas-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
      { client_id: "outro-app", client_secret: "outro-segredo-0123456789", redirect_uris: ["http://127.0.0.1/outro"] },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username", "name"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, preferred_username: sub, email: `${sub}@empresa.test`, email_verified: true, name: sub }),
    }),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  } as never);
  const state: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    tamper: "none",
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  // The misbehaviours, at the one place an ID token is made.
  const IdToken = (provider as any).IdToken;
  const issue = IdToken.prototype.issue;
  IdToken.prototype.issue = async function (this: any, opts: { use: string; expiresAt?: number }) {
    if (opts.use === "idtoken" && state.tamper === "expired")
      return issue.call(this, { ...opts, expiresAt: Math.floor(Date.now() / 1000) - 3600 });
    if (opts.use === "idtoken" && state.tamper === "audience") this.client = await (provider as any).Client.find("outro-app");
    return issue.call(this, opts);
  };
  server.on("request", provider.callback());
  return state;
}

/** Cookies by name, as a browser would keep them for one site (paths ignored: each step's cookie is the newest). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()),
      );
      if (gone || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** The form of a provider page: where it posts and its hidden fields. */
function formOf(html: string, base: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in provider page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  return { action: new URL(action.replace(/&amp;/g, "&"), base).toString(), fields };
}

/**
 * Walks the provider from its authorization address to the redirect back to
 * the app, signing in as `login` and consenting; returns the callback address.
 */
export async function signInAtProvider(authorize: string, login: string, jar = new CookieJar()): Promise<string> {
  let url = authorize;
  const origin = new URL(authorize).origin;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url).toString();
      if (!next.startsWith(origin)) return next;
      url = next;
      await res.arrayBuffer();
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider ${res.status}: ${html.slice(0, 300)}`);
    const form = formOf(html, url);
    const body = new URLSearchParams(form.fields.prompt === "login" ? { ...form.fields, login, password: "qualquer" } : form.fields);
    const posted = await fetch(form.action, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    jar.take(posted);
    const after = posted.headers.get("location");
    await posted.arrayBuffer();
    if (!after) throw new Error(`provider form answered ${posted.status} without a redirect`);
    url = new URL(after, form.action).toString();
    if (!url.startsWith(origin)) return url;
  }
  throw new Error("the provider never sent the browser back");
}
