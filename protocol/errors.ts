/**
 * The one error shape every edge answers with (HTTP bodies, error frames,
 * room-to-room refusals): a stable `code` for programs, a pt-BR `message` for
 * people, and the dotted path of the wrong field when there is one. Also the
 * close codes the rooms use.
 */
import * as v from "valibot";

export const ErrorCode = v.picklist([
  "invalid_frame",
  "invalid_body",
  "unauthorized",
  "forbidden",
  "not_found",
  "too_large",
  "rate_limited",
  "internal",
  "unavailable",
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

/** The HTTP status each code answers with. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_frame: 400,
  invalid_body: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export type ErrorFrame = {
  type: "error";
  code: ErrorCode;
  message: string;
  /** The field that was wrong, as a dotted path, when there is one. */
  field?: string;
  /** The clientId of the frame this answers, when it had one. */
  clientId?: string;
  /** With `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
};

/**
 * Close codes the rooms use; the client stops reconnecting on 4001/4003/4010.
 * 1007 and 1008 are RFC 6455's (invalid payload, policy violation).
 */
export const CloseCode = {
  invalidPayload: 1007,
  policy: 1008,
  unauthorized: 4001,
  forbidden: 4003,
  disabled: 4010,
} as const;

/**
 * Sent right before the server closes a socket: the client closes from its side
 * with the same code at once (a close the runtime starts itself can take seconds
 * to complete), and stops reconnecting on 4001/4003/4010.
 */
export type CloseFrame = { type: "close"; code: number; reason: string };
