/** A room's answer's value, or the refusal thrown as an error (unit tests of rooms). */
export async function valueOf<T>(p: Promise<{ ok: true; value: T } | { ok: false; message: string }>): Promise<T> {
  const res = await p;
  if (!res.ok) throw new Error(res.message);
  return res.value;
}
