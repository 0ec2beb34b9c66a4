/** Caller identity on browser requests (issue 16.2) and the PBX's domain (issue 16.8), on a recorded sip.js INVITE. */
import { describe, expect, it } from "vitest";
import { header, headers, makeResponse } from "../sip/message";
import { assertIdentity, restoreParties } from "./headers";
import { invite, SIPJS_INVITE, withHeaders } from "./fixtures";

const ana = { tenant: "demo", userId: "ana", extension: "2001", name: 'Ana "A" Souza\\' };

describe("caller identity", () => {
  it("issue 16.2: a browser's identity claims are dropped and the proxy asserts the bound extension with the user's name", () => {
    const req = withHeaders(invite(SIPJS_INVITE, "3000"), {
      "P-Asserted-Identity": "<sip:1000@x>",
      "Remote-Party-ID": "<sip:1000@x>;party=calling",
      Diversion: "<sip:1000@x>",
      "History-Info": "<sip:1000@x>;index=1",
      "P-Preferred-Identity": "<sip:1000@x>",
    });
    assertIdentity(req, ana, "pbx.empresa.test");
    expect(headers(req, "P-Asserted-Identity")).toEqual(['"Ana A Souza" <sip:2001@pbx.empresa.test>']);
    for (const h of ["Remote-Party-ID", "Diversion", "History-Info", "P-Preferred-Identity"]) expect(header(req, h)).toBeUndefined();
    expect(header(req, "From")).toBe('"Ana A Souza" <sip:2001@pbx.empresa.test>;tag=1jril0gi91');
    expect(header(req, "To")).toBe("<sip:3000@pbx.empresa.test>");
  });

  it("issue 16.8: Refer-To and Referred-By get the PBX's domain, keeping a Replaces; between browsers nothing is re-homed", () => {
    const req = withHeaders(invite(SIPJS_INVITE, "3000"), {
      "Refer-To": "<sip:3001@conversas.invalid?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>",
      "Referred-By": "<sip:2001@conversas.invalid>",
    });
    assertIdentity(req, ana, "pbx.empresa.test");
    expect(header(req, "Refer-To")).toBe("<sip:3001@pbx.empresa.test?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>");
    expect(header(req, "Referred-By")).toBe("<sip:2001@pbx.empresa.test>");
    const bare = withHeaders(invite(SIPJS_INVITE, "3000"), { "Refer-To": "sip:3005@conversas.invalid" });
    assertIdentity(bare, ana, "pbx.empresa.test");
    expect(header(bare, "Refer-To")).toBe("sip:3005@pbx.empresa.test");
    const local = invite(SIPJS_INVITE, "2002");
    assertIdentity(local, ana, null);
    expect(header(local, "To")).toBe("<sip:2002@conversas.invalid>");
    expect(header(local, "P-Asserted-Identity")).toBe('"Ana A Souza" <sip:2001@conversas.invalid>');
  });

  it("issue 16.8: the browser gets back the From and To it sent, with the far end's tag", () => {
    const original = invite(SIPJS_INVITE, "3000");
    const out = invite(SIPJS_INVITE, "3000");
    assertIdentity(out, ana, "pbx.empresa.test");
    const res = makeResponse(out, 200, "OK", "far1");
    restoreParties(res, original);
    expect(header(res, "From")).toBe(header(original, "From"));
    expect(header(res, "To")).toBe("<sip:3000@conversas.invalid>;tag=far1");
  });
});
