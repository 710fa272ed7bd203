/**
 * The Yjs update (v1 encoding) that sets keys of a root-level map to strings, each key set for the first
 * time by one client, in one transaction — encoded directly, without a Y.Doc. It is byte for byte what a doc
 * of that client encodes for those `map.set`s in one `transact` (tests/shared/sync/map-keys-update.property.test.ts):
 * one struct per key, no origin (a key the client never set names no earlier item), the map named by its root
 * key, the key as the item's parentSub, the value as `ContentAny`, an empty delete set.
 *
 * The server writes a receipt per accepted event this way (`ReceiptWriter`): a Y.Doc per loaded order and a
 * transaction, its integration and its encode per update cost ≈ 120 µs of server CPU per acknowledged update
 * under the fan-out load (bench/README.md, "Fan-out, part 8").
 */

/** `ContentAny`'s reference number (the low five bits of an item's info byte). */
const CONTENT_ANY = 8;
/** Info bit: the item has a parentSub (a map key). */
const HAS_PARENT_SUB = 0x20;
/** `writeAny`'s tag of a string. */
const ANY_STRING = 119;

class Bytes {
  private readonly parts: number[] = [];

  varUint(n: number): void {
    while (n > 0x7f) {
      this.parts.push(0x80 | (n % 0x80));
      n = Math.floor(n / 0x80);
    }
    this.parts.push(n);
  }

  byte(b: number): void {
    this.parts.push(b);
  }

  /** Its UTF-8 bytes' count, then the bytes; a lone surrogate as U+FFFD, as TextEncoder (which lib0 uses) writes it. */
  varString(s: string): void {
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else c = 0xfffd;
      }
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
    this.varUint(bytes.length);
    for (const b of bytes) this.parts.push(b);
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/**
 * `entries` must be keys `client` never set in `mapName` (no two alike), and `clock` the client's next clock:
 * the number of items it wrote before. Empty `entries` encode an update that changes nothing.
 */
export function newMapKeysUpdate(mapName: string, client: number, clock: number, entries: readonly (readonly [key: string, value: string])[]): Uint8Array {
  const out = new Bytes();
  if (entries.length === 0) {
    out.varUint(0); // no structs
  } else {
    out.varUint(1); // one client
    out.varUint(entries.length);
    out.varUint(client);
    out.varUint(clock);
    for (const [key, value] of entries) {
      out.byte(CONTENT_ANY | HAS_PARENT_SUB);
      out.varUint(1); // the parent is a root type, named
      out.varString(mapName);
      out.varString(key);
      out.varUint(1); // one value
      out.byte(ANY_STRING);
      out.varString(value);
    }
  }
  out.varUint(0); // an empty delete set
  return out.done();
}
