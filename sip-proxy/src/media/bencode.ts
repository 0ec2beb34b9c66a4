/**
 * Bencode, the encoding of rtpengine's ng control protocol: integers, byte
 * strings, lists and dictionaries (keys sorted). Strings are read as UTF-8 —
 * everything rtpengine sends us (SDP, results, error reasons) is text.
 */
export type Bencoded = number | string | Bencoded[] | { [key: string]: Bencoded };

export function encode(value: Bencoded): Buffer {
  const parts: Buffer[] = [];
  const walk = (v: Bencoded): void => {
    if (typeof v === "number") {
      if (!Number.isInteger(v)) throw new TypeError(`bencode: ${v} is not an integer`);
      parts.push(Buffer.from(`i${v}e`));
    } else if (typeof v === "string") {
      const bytes = Buffer.from(v, "utf8");
      parts.push(Buffer.from(`${bytes.length}:`), bytes);
    } else if (Array.isArray(v)) {
      parts.push(Buffer.from("l"));
      v.forEach(walk);
      parts.push(Buffer.from("e"));
    } else {
      parts.push(Buffer.from("d"));
      for (const key of Object.keys(v).sort()) {
        if (v[key] === undefined) continue;
        walk(key);
        walk(v[key]!);
      }
      parts.push(Buffer.from("e"));
    }
  };
  walk(value);
  return Buffer.concat(parts);
}

/** Decodes one value filling the whole buffer; throws on anything malformed. */
export function decode(buf: Buffer): Bencoded {
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`bencode: ${why} at ${i}`);
  };
  const read = (depth: number): Bencoded => {
    if (depth > 64) fail("too deep");
    const c = buf[i];
    if (c === undefined) return fail("unexpected end");
    if (c === 0x69 /* i */) {
      const end = buf.indexOf(0x65, i);
      if (end < 0) fail("unterminated integer");
      const text = buf.toString("latin1", i + 1, end);
      if (!/^-?(0|[1-9][0-9]*)$/.test(text) || text === "-0") fail("bad integer");
      i = end + 1;
      return Number(text);
    }
    if (c === 0x6c /* l */ || c === 0x64 /* d */) {
      i++;
      const list: Bencoded[] = [];
      while (buf[i] !== 0x65) {
        if (i >= buf.length) fail("unterminated container");
        list.push(read(depth + 1));
      }
      i++;
      if (c === 0x6c) return list;
      if (list.length % 2) fail("dictionary without a value");
      const dict: { [key: string]: Bencoded } = {};
      for (let k = 0; k < list.length; k += 2) {
        if (typeof list[k] !== "string") fail("dictionary key is not a string");
        dict[list[k] as string] = list[k + 1]!;
      }
      return dict;
    }
    if (c >= 0x30 && c <= 0x39) {
      const colon = buf.indexOf(0x3a, i);
      if (colon < 0) fail("string without length");
      const lenText = buf.toString("latin1", i, colon);
      if (!/^(0|[1-9][0-9]*)$/.test(lenText)) fail("bad string length");
      const start = colon + 1;
      const end = start + Number(lenText);
      if (end > buf.length) fail("string runs past the end");
      i = end;
      return buf.toString("utf8", start, end);
    }
    return fail(`unexpected byte 0x${c.toString(16)}`);
  };
  const value = read(0);
  if (i !== buf.length) fail("trailing bytes");
  return value;
}
