/**
 * Turns a valibot failure into the one error shape every edge answers with: a
 * stable code, a pt-BR message and the dotted path of the first wrong field.
 */
import * as v from "valibot";

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export function parse<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const field = v.getDotPath(issue) ?? (issue.kind === "schema" && issue.received === "undefined" ? "" : "");
  return { ok: false, field: field || "(raiz)", message: issue.message };
}

/** Parses a JSON text; a syntax error is reported like a schema error at the root. */
export function parseJson<S extends v.GenericSchema>(schema: S, text: string): Parsed<v.InferOutput<S>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, field: "(raiz)", message: "JSON inválido" };
  }
  return parse(schema, data);
}
