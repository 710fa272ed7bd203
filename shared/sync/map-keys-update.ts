/**
 * The Yjs update (v1 encoding) that sets keys of a root-level map to strings, each key set for the first
 * time by one client, in one transaction — encoded directly, without a Y.Doc. It is byte for byte what a doc
 * of that client encodes for those `map.set`s in one `transact` (tests/shared/sync/receipt-writer.property.test.ts):
 * one struct per key, no origin (a key the client never set names no earlier item), the map named by its root
 * key, the key as the item's parentSub, the value as `ContentAny`, an empty delete set.
 *
 * The server writes a receipt per accepted event this way (`ReceiptWriter`): a Y.Doc per loaded order and a
 * transaction, its integration and its encode per update cost ≈ 120 µs of server CPU per acknowledged update
 * under the fan-out load (bench/README.md, "Fan-out, part 8").
 */
import * as encoding from 'lib0/encoding';

/** `ContentAny`'s reference number (the low five bits of an item's info byte). */
const CONTENT_ANY = 8;
/** Info bit: the item has a parentSub (a map key). */
const HAS_PARENT_SUB = 0x20;

/**
 * `entries` must be keys `client` never set in `mapName` (no two alike), and `clock` the client's next clock:
 * the number of items it wrote before. Empty `entries` encode an update that changes nothing.
 */
export function newMapKeysUpdate(mapName: string, client: number, clock: number, entries: readonly (readonly [key: string, value: string])[]): Uint8Array {
  // lib0's encoder, Yjs's own: the same varints and UTF-8 (a lone surrogate as U+FFFD) as a doc writes.
  const out = encoding.createEncoder();
  if (entries.length === 0) {
    encoding.writeVarUint(out, 0); // no structs
  } else {
    encoding.writeVarUint(out, 1); // one client
    encoding.writeVarUint(out, entries.length);
    encoding.writeVarUint(out, client);
    encoding.writeVarUint(out, clock);
    for (const [key, value] of entries) {
      encoding.writeUint8(out, CONTENT_ANY | HAS_PARENT_SUB);
      encoding.writeVarUint(out, 1); // the parent is a root type, named
      encoding.writeVarString(out, mapName);
      encoding.writeVarString(out, key);
      encoding.writeVarUint(out, 1); // one value
      encoding.writeAny(out, value);
    }
  }
  encoding.writeVarUint(out, 0); // an empty delete set
  return encoding.toUint8Array(out);
}
