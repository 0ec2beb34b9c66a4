/**
 * Calls that survive closed tabs, deploys and crashes (issue 16.4), against real
 * peers: Kamailio as the PBX stand-in (registrar, digest on REGISTER and INVITE,
 * record-routing, in-dialog requests only along the route set) and baresip as a
 * desk phone (extension 3001, answers by itself). The browser is a sip.js user
 * agent that reconnects and registers again the way the web softphone does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/dev/process.mjs";
import type { TestServer } from "../support/server";
import { DEMO_TENANT } from "../../scripts/seed.mjs";
import { http } from "../support/clients";
import { historyEntry, phone, startProxy, until, waitFor, RegistererState, SessionState, refusal } from "./support";
import { startPlatform, stopAfterAll, pbxEnv } from "./support";
import type { Phone, Platform, RunningProxy } from "./support";
import { baresipPort, startBaresip, startKamailio, type Peer } from "./peers";
import { tempDir } from "../../tools/dev/runtime.mjs";

let platform: Platform;
let server: TestServer;
let kamailio: Peer;
let deskPhone: Peer;
let proxy: RunningProxy;
let env: Record<string, string>;
let token: string;
const phones: Phone[] = [];

/** How many calls baresip has seen end so far. */
const deskCallsEnded = () => (deskPhone.log().match(/session closed|terminated/gi) ?? []).length;
/** Kamailio's log lines from `since` on (a character offset). */
const kamLines = (since = 0) => kamailio.log().slice(since).split("\n");

async function ana(reconnect = false): Promise<Phone> {
  const p = await phone(proxy.wsPort, platform.tickets("ana", proxy.wsPort), "2001", { reconnect });
  phones.push(p);
  return p;
}

/** An admin sets a user's PBX password (issue 16.6): sealed on the platform, handed to the proxy only. */
async function setSipPassword(user: string, password: string): Promise<void> {
  const res = await http(`${server.base}/api/tenants/${DEMO_TENANT}/users/${user}/sip-credentials`, {
    method: "PUT",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ password }),
  });
  if (res.status !== 204) throw new Error(`sip-credentials ${user}: ${res.status} ${res.text}`);
}

async function answeredByDeskPhone(a: Phone) {
  const inviter = a.call("3001");
  await inviter.invite();
  await until(inviter, SessionState.Established);
  return inviter;
}

beforeAll(async () => {
  platform = await startPlatform(["ana", "bruno"]);
  server = platform.server;
  token = platform.tokens.ana!;
  const kamPort = await freePort();
  kamailio = await startKamailio({ port: kamPort, users: { "2001": "segredo-2001", "2002": "segredo-2002", "3001": "segredo-3001" } });
  // Issue 16.6: ana's PBX password is set through the admin API; no secrets file on the proxy.
  await setSipPassword("ana", "segredo-2001");
  deskPhone = await startBaresip({
    port: await baresipPort(),
    extension: "3001",
    password: "segredo-3001",
    registrar: `127.0.0.1:${kamPort}`,
  });
  const dir = tempDir("sip-kamailio-");
  // Fixed ports and state file: the restarted proxy is the same service to browsers and to the PBX.
  env = pbxEnv(platform, `udp:127.0.0.1:${kamPort}`, {
    SIP_PROXY_PORT: String(await freePort()),
    SIP_PROXY_SIP_PORT: String(await freePort()),
    SIP_STATE_FILE: join(dir, "state.json"),
    SIP_DRAIN_SECONDS: "1",
    SIP_SESSION_CHECK_SECONDS: "1",
  });
  proxy = await startProxy(env);
});

afterEach(async () => {
  for (const p of phones.splice(0)) await p.stop();
});
stopAfterAll(() => [proxy, deskPhone, kamailio, platform]);

describe("issue 16.4: deploys, crashes and closed tabs don't orphan calls (kamailio, baresip)", () => {
  it("issue 16.4: when the tab closes mid-call, the proxy's BYE follows kamailio's record-route and the desk phone hangs up", async () => {
    const a = await ana();
    expect((await a.register()).status).toBe(200);
    const inviter = await answeredByDeskPhone(a);
    const ended = deskCallsEnded();
    const since = kamailio.log().length;
    await a.ua.transport.disconnect();
    await waitFor("baresip to get the BYE", () => deskCallsEnded() > ended, 15_000);
    const bye = await waitFor("kamailio's log of the BYE", () => kamLines(since).find((l) => l.includes("kam: BYE")));
    expect(bye, kamailio.log().slice(since)).toMatch(new RegExp(`route=<sip:127\\.0\\.0\\.1:${kamailio.port};lr`));
    expect(kamailio.log().slice(since)).not.toContain("without its route set");
    const record = await waitFor("the call's record", () => proxy.records().find((r) => r.callId === inviter.request.callId));
    expect(record).toMatchObject({ answered: true, endReason: "connection-lost" });
  });

  it("issue 16.4: SIGTERM during a desk-phone call: baresip gets BYE, the record is written, the extension is withdrawn, and the browser registers again with the restarted proxy", async () => {
    const a = await ana(true);
    expect((await a.register()).status).toBe(200);
    const inviter = await answeredByDeskPhone(a);
    const ended = deskCallsEnded();
    const since = kamailio.log().length;
    proxy.signal("SIGTERM");
    // While it drains, the health check says so (a load balancer sends new browsers elsewhere).
    let health = 0;
    for (let i = 0; i < 50 && health !== 503; i++) {
      health = await fetch(`http://127.0.0.1:${proxy.wsPort}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 503) await new Promise((r) => setTimeout(r, 20));
    }
    expect(health).toBe(503);
    await until(inviter, SessionState.Terminated, 15_000);
    await waitFor("baresip to get the BYE", () => deskCallsEnded() > ended, 15_000);
    expect(await proxy.exited).toBe(0);
    // Its log reaches us through a pipe that may still hold lines when the exit is reported.
    expect(await waitFor("the call's record", () => proxy.records().find((r) => r.callId === inviter.request.callId))).toMatchObject({
      answered: true,
      endReason: "connection-lost",
    });
    await waitFor("the drain in the log", () => /draining/.test(proxy.log()));
    // Flushed to the platform before the process exited: ana's room has it.
    expect(await historyEntry(server.wsBase, DEMO_TENANT, "ana", token, inviter.request.callId, 2000)).toMatchObject({
      answered: true,
      endReason: "connection-lost",
    });
    await waitFor("the extension withdrawn at kamailio", () => kamLines(since).some((l) => /kam: REGISTER .* expires=0 /.test(l)));
    const before = a.accepted;
    proxy = await startProxy(env);
    await waitFor("the browser to register again", () => a.accepted > before, 20_000);
  });

  it("issue 16.4: after a crash the next start withdraws (Expires: 0) the registrations the dead process held", async () => {
    const a = await ana(true);
    expect((await a.register()).status).toBe(200);
    // The state file is written just after the PBX accepts; the crash comes once it is on disk.
    await waitFor(
      "the registration in the state file",
      () => existsSync(env.SIP_STATE_FILE!) && readFileSync(env.SIP_STATE_FILE!, "utf8").includes("REGISTER"),
    );
    proxy.signal("SIGKILL");
    await proxy.exited;
    const since = kamailio.log().length;
    const before = a.accepted;
    proxy = await startProxy(env);
    await waitFor("the stale registration withdrawn", () => /stale registrations withdrawn: 200/.test(proxy.log()), 15_000);
    await waitFor("the stale registration at kamailio", () => kamLines(since).some((l) => /kam: REGISTER .* expires=0 /.test(l)));
    await waitFor("the browser to register again", () => a.accepted > before, 20_000);
  });
});

describe("issue 16.6: PBX credentials from the admin API (kamailio)", () => {
  it("issue 16.6: an agent added while the proxy runs registers with the password an admin set, and a changed password applies without a restart", async () => {
    const bruno = async () => {
      const p = await phone(proxy.wsPort, platform.tickets("bruno", proxy.wsPort), "2002");
      phones.push(p);
      return p;
    };
    // No credentials yet: the proxy cannot answer kamailio's challenge for 2002.
    const without = await bruno();
    expect((await without.register()).status).not.toBe(200);
    await without.stop();
    await setSipPassword("bruno", "segredo-2002");
    const since = kamailio.log().length;
    const withPassword = await bruno();
    expect(await withPassword.register()).toEqual({ state: RegistererState.Registered, status: 200 });
    // kamailio's log reaches us through a pipe, maybe after its 200 did.
    await waitFor("kamailio's log of the authenticated REGISTER", () =>
      kamLines(since).some((l) => l.includes("kam: authenticated REGISTER from 2002")),
    );
    // The admin changes the password to one the PBX does not know: the next session check hands it to the
    // proxy (no restart, same socket), and the next REGISTER is refused by kamailio.
    await setSipPassword("bruno", "senha-errada-2002");
    await new Promise((r) => setTimeout(r, 2500));
    expect((await withPassword.register()).status).not.toBe(200);
  });
});

describe("issue 16.8: PBX compatibility (kamailio with SHA-256 digest)", () => {
  let shaPbx: Peer;
  let shaProxy: RunningProxy;

  beforeAll(async () => {
    const port = await freePort();
    // Two challenges in the PBX's order of preference: one we do not speak, then SHA-256 (RFC 8760).
    shaPbx = await startKamailio({
      port,
      users: { "2001": "segredo-2001" },
      algorithm: "SHA-256",
      extraChallenge: 'Digest realm="127.0.0.1", nonce="unused", algorithm=AKAv1-MD5, qop="auth"',
    });
    shaProxy = await startProxy({
      ...env,
      SIP_PBX: `udp:127.0.0.1:${port}`,
      SIP_PROXY_PORT: "0",
      SIP_PROXY_SIP_PORT: "0",
      SIP_STATE_FILE: join(tempDir("sip-sha-"), "state.json"),
    });
  });

  stopAfterAll(() => [shaProxy, shaPbx]);

  it("issue 16.8: of several challenges (WWW-Authenticate on REGISTER, Proxy-Authenticate on INVITE) the proxy answers the first it speaks, SHA-256; both pass kamailio's check", async () => {
    const a = await phone(shaProxy.wsPort, platform.tickets("ana", shaProxy.wsPort), "2001");
    phones.push(a);
    expect(await a.register()).toEqual({ state: RegistererState.Registered, status: 200 });
    // Nobody is registered as 3009: kamailio says 404 only after the INVITE's credentials passed.
    const inviter = a.call("3009");
    expect(await refusal(inviter)).toBe(404);
    await waitFor("kamailio's log of both", () => /kam: authenticated INVITE from 2001/.test(shaPbx.log()));
    expect(shaPbx.log().match(/kam: authenticated (REGISTER|INVITE) from 2001/g)).toEqual([
      "kam: authenticated REGISTER from 2001",
      "kam: authenticated INVITE from 2001",
    ]);
    expect(shaPbx.log()).toMatch(/algorithm=SHA-256/);
  });
});
