/**
 * Every action the audit trail records (stable names: filters and the screen
 * use them), in their order. A plain list with no imports, so the web client's
 * "Auditoria" screen takes it without the server's schemas (protocol/admin.ts
 * `AuditAction` is this list as a picklist).
 */
export const AUDIT_ACTIONS = [
  "company.put",
  "settings.put",
  "sso.put",
  "key.create",
  "key.rotate",
  "key.revoke",
  "user.create",
  "user.update",
  "user.password",
  "user.sessions_end",
  "user.sip_credentials",
  "user.erase",
  "link.issue",
  "login.success",
  "login.failure",
  "session.end",
  "session.end_all",
  "share",
  "share.refused",
  "export.user",
  "export.chat",
  "backup.manifest",
  "restore",
] as const;
