/** The one refusal every domain rule returns: a stable code, the pt-BR words people read, and the wrong field when there is one. */
export type Refusal = { refused: true; code: "forbidden" | "not_found" | "invalid_frame"; message: string; field?: string };

export const refuse = (code: Refusal["code"], message: string, field?: string): Refusal => ({
  refused: true,
  code,
  message,
  ...(field ? { field } : {}),
});

export const isRefusal = <T>(x: T | Refusal): x is Refusal => typeof x === "object" && x !== null && "refused" in x;
