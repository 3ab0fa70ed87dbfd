import { isUtf8 } from 'node:buffer';

/** Raised by the body parser's verify step; the error filter turns it into a 400 naming the field. */
export class InvalidUtf8BodyError extends Error {
  readonly type = 'entity.invalid.utf8';
  readonly status = 400;

  constructor(
    readonly byteOffset: number,
    readonly field: string,
  ) {
    super(
      `the request body is not valid UTF-8: byte ${byteOffset}${field === 'body' ? '' : `, in ${field}`}; send text as UTF-8`,
    );
  }
}

/**
 * The JSON body parser's `verify` hook. Decoding would turn each invalid byte into U+FFFD and the
 * damaged text would be stored as if it had been typed; the raw bytes are checked first instead.
 */
export function requireUtf8Body(_req: unknown, _res: unknown, buf: Buffer): void {
  if (isUtf8(buf)) return;
  const offset = firstInvalidUtf8Byte(buf);
  throw new InvalidUtf8BodyError(offset, jsonPathAt(buf.subarray(0, offset).toString('utf8')));
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (only called when there is one). */
export function firstInvalidUtf8Byte(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const len =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    if (len === 0 || i + len > buf.length) return i;
    if (len > 1 && !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return buf.length;
}

type Frame =
  { kind: 'object'; key: string | null; expectKey: boolean } | { kind: 'array'; index: number };

/**
 * Where in a JSON document its text stops: `changes[0].values.fld_x` for a prefix that ends inside
 * that value (or inside that key), `body` at the top level.
 */
export function jsonPathAt(prefix: string): string {
  const stack: Frame[] = [];
  let i = 0;
  while (i < prefix.length) {
    const c = prefix[i];
    if (c === '"') {
      const start = i;
      i++;
      while (i < prefix.length && prefix[i] !== '"') i += prefix[i] === '\\' ? 2 : 1;
      if (i >= prefix.length) break; // the prefix ends inside this string
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) top.key = safeParse(prefix.slice(start, i + 1));
    } else if (c === '{') stack.push({ kind: 'object', key: null, expectKey: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ':') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.expectKey = false;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') top.expectKey = true;
    }
    i++;
  }
  let path = '';
  for (const [n, f] of stack.entries()) {
    if (f.kind === 'array') path += `[${f.index}]`;
    // Inside a key (of the innermost object), the key read before it is not the place.
    else if (f.key !== null && !(n === stack.length - 1 && f.expectKey))
      path += path ? `.${f.key}` : f.key;
    else break;
  }
  return path || 'body';
}

function safeParse(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
