/**
 * What a schema does not name, a client must not write. valibot's `object`
 * validates the fields it knows and leaves the others out of its output; the
 * raw value a client wrote still carries them, and the server stores the raw
 * value. So a write is checked twice: against the schema, then for anything
 * the schema's output does not have (`unknownField`).
 *
 * Reading stays lenient: events stored before a field was retired still load
 * (their unknown fields are simply not in the parsed value).
 */

/** Longest key shown in a field path: a hostile key can be megabytes long. */
const MAX_KEY_SHOWN = 40;

export function fieldName(key: string): string {
  return key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN)}…` : key;
}

const join = (path: string, key: string) => (path === '' ? fieldName(key) : `${path}.${fieldName(key)}`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The path of the first field in `raw` that the schema's output `parsed`
 * does not have, or null when there is none. Objects in `raw` must be plain:
 * a Yjs update can carry a `__proto__` key, which decodes into an object
 * whose fields are inherited, invisible to `Object.keys` and to JSON, yet
 * read by a schema; such an object is reported at its `__proto__`.
 */
export function unknownField(raw: unknown, parsed: unknown, path = ''): string | null {
  if (Array.isArray(raw)) {
    if (!Array.isArray(parsed)) return null;
    for (let i = 0; i < raw.length; i++) {
      const found = unknownField(raw[i], parsed[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (!isObject(raw)) return null;
  const proto: unknown = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return join(path, '__proto__');
  if (!isObject(parsed)) return null;
  for (const key of Object.keys(raw)) {
    if (!Object.prototype.hasOwnProperty.call(parsed, key)) return join(path, key);
    const found = unknownField(raw[key], parsed[key], join(path, key));
    if (found !== null) return found;
  }
  return null;
}
