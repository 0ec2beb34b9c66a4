/** Unit tests for reading the rooms' configuration: the upload limit (R9) and its default. */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_UPLOAD_BYTES, readConfig } from "./config";

const secrets = { CONVERSAS_SESSION_SECRET: "s".repeat(32), CONVERSAS_ADMIN_KEY: "a".repeat(32) };

describe("readConfig", () => {
  it("R9: uploads are limited to 25 MiB unless CONVERSAS_MAX_UPLOAD_BYTES says otherwise", () => {
    expect(DEFAULT_MAX_UPLOAD_BYTES).toBe(25 * 1024 * 1024);
    expect(readConfig({ ...secrets }).maxUploadBytes).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    expect(readConfig({ ...secrets, CONVERSAS_MAX_UPLOAD_BYTES: "1048576" }).maxUploadBytes).toBe(1048576);
  });

  it("R9: a limit that is not a positive whole number of bytes fails loudly, naming the variable", () => {
    for (const bad of ["0", "-5", "1.5", "25MB", "99999999999"]) {
      expect(() => readConfig({ ...secrets, CONVERSAS_MAX_UPLOAD_BYTES: bad }), bad).toThrow(/CONVERSAS_MAX_UPLOAD_BYTES/);
    }
  });
});
