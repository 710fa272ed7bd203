/**
 * A Y.Map value encoded once, however many updates carry it (issue 18, fan-out).
 *
 * Yjs keeps a map's plain-object value as the object itself (`ContentAny`) and
 * encodes it with lib0's `writeAny` every time an update holding it is
 * encoded. The indexer writes one summary object (≈ 45 fields, ≈ 1 KB) into
 * three index docs — grid, community, street — so each summary was encoded
 * three times in its transactions' updates (for the broadcast and the log),
 * again in the 100 ms log entry when a window held several transactions
 * (`encodeWrites`), and again in every fold and sync step 2 of a doc holding
 * it: ≈ 9 % of the server's busy time under the fan-out's load, most of the
 * encoding a bare server does not do (bench/README.md, "Fan-out, part 11").
 *
 * `encodeOnce(value)` marks a value: Yjs's update encoders then write the
 * bytes of its first encoding for it (a copy), byte for byte what `writeAny`
 * writes, so nothing a client reads changes. The value is frozen (deeply)
 * when marked, so the bytes can never go stale; the bytes live as long as the
 * value (a WeakMap: an overwritten summary's struct drops its content, and
 * with it the value and its bytes).
 *
 * The encoders are patched on the first mark, in this process's one Yjs
 * (Hocuspocus imports the same module). Unmarked values are written as before,
 * at the cost of one WeakMap lookup per object.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Marked values: their encoding once made, null until then. */
const encodings = new WeakMap<object, Uint8Array | null>();
let patched = false;

/** Marks `value` (frozen from now on) to be encoded once by Yjs's update encoders; returns it. */
export function encodeOnce<T extends object>(value: T): T {
  if (!encodings.has(value)) {
    deepFreeze(value);
    encodings.set(value, null);
  }
  if (!patched) patchEncoders();
  return value;
}

/** The kept encoding of a marked value, once an encoder has written it (tests, diagnostics). */
export function keptEncoding(value: object): Uint8Array | undefined {
  return encodings.get(value) ?? undefined;
}

function encodingOf(value: object, kept: Uint8Array | null): Uint8Array {
  if (kept !== null) return kept;
  const encoder = encoding.createEncoder();
  encoding.writeAny(encoder, value as Parameters<typeof encoding.writeAny>[1]);
  const bytes = encoding.toUint8Array(encoder);
  encodings.set(value, bytes);
  return bytes;
}

function patchEncoders(): void {
  patched = true;
  // Both write a value with lib0's `writeAny` into their `restEncoder` (yjs 13.6), so the kept bytes are what they would write.
  for (const Encoder of [Y.UpdateEncoderV1, Y.UpdateEncoderV2]) {
    const writeAny = Encoder.prototype.writeAny;
    Encoder.prototype.writeAny = function (this: InstanceType<typeof Encoder>, value: unknown): void {
      if (typeof value === 'object' && value !== null) {
        const kept = encodings.get(value);
        if (kept !== undefined) {
          encoding.writeUint8Array(this.restEncoder, encodingOf(value, kept));
          return;
        }
      }
      writeAny.call(this, value);
    };
  }
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const field of Object.values(value)) if (typeof field === 'object' && field !== null) deepFreeze(field as object);
}
