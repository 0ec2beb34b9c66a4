/** The proxy's configuration (R29): defaults for `npm start`, and a start refused with the bad setting named. */
import { describe, expect, it } from "vitest";
import { readConfig, parseSecrets } from "./config";

const base = { CONVERSAS_SESSION_SECRET: "0123456789abcdefXYZ" };

describe("config", () => {
  it("R29: with only the session secret it is a registrar on the default port", () => {
    const c = readConfig(base);
    expect(c.pbx).toBe(null);
    expect(c.wsPort).toBe(5066);
    expect(c.api).toBe("http://127.0.0.1:1999");
    expect(c.recordsUrl).toBe("http://127.0.0.1:1999/api/tenants/{tenant}/users/{user}/call-records");
  });

  it("R29: reads the PBX address and requires its tenant", () => {
    expect(() => readConfig({ ...base, SIP_PBX: "tcp:pbx.local:5060" })).toThrow(/SIP_PBX_TENANT/);
    const c = readConfig({ ...base, SIP_PBX: "tcp:pbx.local:5060", SIP_PBX_TENANT: "demo" });
    expect(c.pbx).toEqual({ transport: "tcp", host: "pbx.local", port: 5060 });
    expect(c.sipPort).toBe(5070);
  });

  it("R29: each wrong setting stops the start with its name", () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{}, /CONVERSAS_SESSION_SECRET/],
      [{ ...base, SIP_PBX: "sip:10.0.0.5" }, /SIP_PBX=/],
      [{ ...base, SIP_PBX: "udp:10.0.0.5:99999", SIP_PBX_TENANT: "demo" }, /SIP_PBX=/],
      [{ ...base, SIP_PROXY_PORT: "http" }, /SIP_PROXY_PORT/],
      [{ ...base, RTPENGINE: "tcp:1.2.3.4:2223" }, /RTPENGINE/],
      [{ ...base, CONVERSAS_API: "ftp://x" }, /CONVERSAS_API/],
      [{ ...base, SIP_SECRETS_FILE: "/nonexistent/secrets.json" }, /SIP_SECRETS_FILE/],
      [{ ...base, SIP_DIAL_PATTERN: "([" }, /SIP_DIAL_PATTERN/],
      [{ ...base, SIP_MAX_CONCURRENT_CALLS: "0" }, /SIP_MAX_CONCURRENT_CALLS/],
      [{ ...base, SIP_PBX: "tls:pbx.local:5061", SIP_PBX_TENANT: "demo" }, /SIP_TLS_CERT/],
      [{ ...base, SIP_TLS_CERT: "/nonexistent.pem" }, /SIP_TLS_KEY/],
      [{ ...base, SIP_PBX_SRTP: "zrtp" }, /SIP_PBX_SRTP/],
      [{ ...base, SIP_PBX_SRTP: "sdes" }, /RTPENGINE/],
      [{ ...base, RTPENGINE: "udp:127.0.0.1:2223", RTPENGINE_PBX_CODECS: "transcode:PCMA" }, /RTPENGINE_PBX_CODECS/],
      [{ ...base, SIP_AREA_CODE: "01" }, /SIP_AREA_CODE/],
      [{ ...base, SIP_EXTENSION_PATTERN: "([" }, /SIP_EXTENSION_PATTERN/],
      [{ ...base, SIP_DRAIN_SECONDS: "-1" }, /SIP_DRAIN_SECONDS/],
    ];
    for (const [env, msg] of bad) expect(() => readConfig(env), JSON.stringify(env)).toThrow(msg);
  });

  it("issue 16: the new settings are read with safe defaults, and the PBX domain defaults to the PBX's host", () => {
    const c = readConfig({ ...base, SIP_PBX: "udp:pbx.local:5060", SIP_PBX_TENANT: "demo" });
    expect(c.pbxDomain).toBe("pbx.local");
    expect(c.dialPlan.areaCode).toBe(null);
    expect(c.rateLimits).toEqual({ register: 20, options: 60, "in-dialog": 300 });
    expect(c.drainMs).toBe(30_000);
    expect(c.media).toEqual({ pbxSrtp: false, pbxCodecs: null, browserCodecs: null });
    const d = readConfig({
      ...base,
      SIP_PBX: "udp:pbx.local:5060",
      SIP_PBX_TENANT: "demo",
      SIP_PBX_DOMAIN: "empresa.com.br",
      RTPENGINE: "udp:127.0.0.1:2223",
      SIP_PBX_SRTP: "sdes",
      RTPENGINE_PBX_CODECS: "transcode=PCMA;mask=opus",
      SIP_DRAIN_SECONDS: "0",
    });
    expect(d.pbxDomain).toBe("empresa.com.br");
    expect(d.media).toEqual({ pbxSrtp: true, pbxCodecs: { transcode: ["PCMA"], mask: ["opus"] }, browserCodecs: null });
    expect(d.drainMs).toBe(0);
  });

  it("R29: the secrets file maps extensions to a password or a username and password", () => {
    expect(parseSecrets("f", '{"2001":"a","2002":{"username":"u2002","password":"b"}}')).toEqual({
      "2001": { username: "2001", password: "a" },
      "2002": { username: "u2002", password: "b" },
    });
    expect(() => parseSecrets("f", '{"ana":"x"}')).toThrow(/f: ana/);
    expect(() => parseSecrets("f", "{")).toThrow(/JSON/);
  });
});
