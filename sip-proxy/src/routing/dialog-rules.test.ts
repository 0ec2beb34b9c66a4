/** Session timers and the transfer's NOTIFYs (issue 16.8), on messages recorded from sipp. */
import { describe, expect, it } from "vitest";
import { header, makeResponse } from "../sip/message";
import { dropTimerRequirement, isReferNotify, refresherIsPbx, sessionInterval, sipfragStatus } from "./dialog-rules";
import { invite, SIPP_INVITE, withHeaders } from "./fixtures";

describe("session timers", () => {
  it("issue 16.8: a PBX's Require: timer does not reach the browser; the browser's bare 2xx makes the PBX the refresher", () => {
    const req = withHeaders(invite(SIPP_INVITE, "2001"), {
      Supported: "timer, replaces",
      Require: "timer",
      "Session-Expires": "1800;refresher=uac",
    });
    const towardsBrowser = { ...req, headers: req.headers.map((h) => ({ ...h })) };
    dropTimerRequirement(towardsBrowser);
    expect(header(towardsBrowser, "Require")).toBeUndefined();
    expect(header(towardsBrowser, "Supported")).toBe("timer, replaces");
    const ok = makeResponse(req, 200, "OK", "b1");
    refresherIsPbx(ok, req);
    expect(header(ok, "Session-Expires")).toBe("1800;refresher=uac");
    expect(header(ok, "Require")).toBe("timer");
    expect(sessionInterval(ok)).toBe(1800);
  });

  it("issue 16.8: without the PBX asking, nothing is added; a browser's own Session-Expires is kept", () => {
    const req = invite(SIPP_INVITE, "2001");
    const ok = makeResponse(req, 200, "OK", "b1");
    refresherIsPbx(ok, req);
    expect(header(ok, "Session-Expires")).toBeUndefined();
    withHeaders(req, { Supported: "timer", "Session-Expires": "90" });
    const own = withHeaders(makeResponse(req, 200, "OK", "b1"), { "Session-Expires": "120;refresher=uas" });
    refresherIsPbx(own, req);
    expect(header(own, "Session-Expires")).toBe("120;refresher=uas");
  });
});

describe("transfer NOTIFYs", () => {
  it("issue 16.8: the sipfrag's status line says how the transfer went", () => {
    expect(sipfragStatus("SIP/2.0 100 Trying\r\n")).toBe(100);
    expect(sipfragStatus("SIP/2.0 200 OK")).toBe(200);
    expect(sipfragStatus("garbage")).toBe(null);
    const notify = withHeaders({ ...invite(SIPP_INVITE, "2001"), method: "NOTIFY" }, { Event: "refer;id=2" });
    expect(isReferNotify(notify)).toBe(true);
  });
});
