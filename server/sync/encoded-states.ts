/**
 * The bulk read's doc states, encoded once and kept (issue 18, first sync;
 * docs/SERVER.md, "A bulk read endpoint"): a street's index is megabytes of Yjs state,
 * and decoding the stored snapshot and log into a doc and encoding it again
 * for every device that signs in was most of the server's time in a first
 * sync. Kept as the doc's entry in the answer's JSON: a small doc's as text,
 * a large doc's compressed once (`entry`, server/http/gzip-parts.ts), so the
 * next device of the same street costs a hash and a copy, and its answer is
 * not compressed again either (bench/README.md, "First sync, part 16"). Once
 * compressed, only the compressed bytes are kept: a street's index is ≈ 2 MB
 * of base64 and ≈ 0.3 MB compressed.
 *
 * Kept per doc name under the doc's content (`contentKey`: its state vector and
 * delete set), not under what holds it: the same state is answered from a loaded
 * doc, from the store's snapshot and log, or from the snapshot a fold made of
 * them, and before, each of these was encoded again: a doc loaded anew after
 * being let go (the indexer's 30 s hold) was a new object, and the fold that
 * runs when a doc is stored or unloaded changed the stored bytes but not the
 * state (bench/README.md, "First sync, part 17").
 *
 * - A loaded doc (Hocuspocus has it): its content key (0.2 ms for a street's
 *   index, against 32 ms to encode it) finds what is kept; encoded only when
 *   the content is new. Its answer is then tied to that `Y.Doc` until the doc's
 *   next update.
 * - A stored doc: first looked up by a hash of the stored bytes (snapshot and
 *   log), so any write, by this instance or another one sharing the store, is
 *   seen; a stored form not seen before is merged (through a doc, so damaged
 *   bytes are found here) and its content key looked up. The kept encoding's
 *   own bytes as a lone snapshot count as a stored form of it: a fold of the
 *   loaded doc writes exactly those bytes.
 *
 * Bounded: the encodings (base64, or the compressed entry once made) are dropped least
 * recently used first beyond `maxBytes`; one larger than a quarter of it is
 * not kept (a loaded doc's then lives and dies with the doc).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { deflatePart, type DeflatedPart } from '../http/gzip-parts.ts';
import type { DocState } from '../store/store.ts';
import { contentKey, mergeStateKeyed } from './merge-state.ts';

/** Default bound for the kept encodings (a street's live index is ~4 MB as base64). */
export const ENCODED_STATES_MAX_BYTES = 64 * 1024 * 1024;

/**
 * From this many characters of base64 a doc's entry is compressed alone and kept; a smaller one is compressed
 * with its neighbours per request: alone, an order doc's entry (≈ 3 KB) compressed to 2.3 times the bytes.
 */
export const KEPT_ENTRY_MIN_CHARS = 32 * 1024;

/** A doc's state as the bulk read answers it. */
export interface EncodedState {
  /**
   * `"<name>":{"update":"<base64>"}`, the doc's entry in the answer's JSON: compressed at most once when large
   * (`KEPT_ENTRY_MIN_CHARS`), as text when small.
   */
  entry(): string | Promise<DeflatedPart>;
}

/** Stored forms remembered per content (each fold of an unchanged doc makes one more). */
const MAX_STORED_FORMS = 8;

interface KeptEncoding {
  /** What the doc holds (`contentKey`). */
  readonly content: string;
  /** Hashes of the stored forms (`storedKey`) known to hold this content. */
  readonly stored: Set<string>;
  readonly state: EncodedState;
  /** The bytes it holds: the base64, then the compressed entry alone once made. */
  bytes: number;
}

export class EncodedStates {
  /** Doc name → its kept encoding, least recently used first. */
  private readonly kept = new Map<string, KeptEncoding>();
  private readonly live = new WeakMap<Y.Doc, EncodedState>();
  private keptBytes = 0;

  constructor(private readonly maxBytes = ENCODED_STATES_MAX_BYTES) {}

  /** A loaded doc's state, encoded at most once per content of the doc. */
  ofLive(name: string, doc: Y.Doc): EncodedState {
    const tied = this.live.get(doc);
    if (tied !== undefined) return tied;
    const content = contentKey(doc);
    const state = this.reuse(name, content)?.state ?? this.keep(name, content, Y.encodeStateAsUpdate(doc), []);
    this.live.set(doc, state);
    doc.once('update', () => this.live.delete(doc));
    return state;
  }

  /** A stored doc's state (snapshot and log merged), merged at most once per stored form, encoded once per content. */
  ofStored(name: string, stored: DocState): EncodedState {
    const key = storedKey(stored);
    const kept = this.kept.get(name);
    if (kept?.stored.has(key)) return this.touch(name, kept).state;
    // Decoded even when a lone snapshot: damaged bytes must fail here (storage_error), not on the device.
    const merged = mergeStateKeyed(stored);
    const same = this.reuse(name, merged.contentKey);
    if (same !== null) {
      if (same.stored.size >= MAX_STORED_FORMS) same.stored.delete(same.stored.values().next().value!);
      same.stored.add(key);
      return same.state;
    }
    return this.keep(name, merged.contentKey, merged.update, [key]);
  }

  /** Bytes held for kept encodings (for tests and metrics). */
  get bytes(): number {
    return this.keptBytes;
  }

  /** The kept encoding of `name` if it is of this content. */
  private reuse(name: string, content: string): KeptEncoding | null {
    const kept = this.kept.get(name);
    return kept?.content === content ? this.touch(name, kept) : null;
  }

  /** Most recently used last. */
  private touch(name: string, kept: KeptEncoding): KeptEncoding {
    this.kept.delete(name);
    this.kept.set(name, kept);
    return kept;
  }

  private keep(name: string, content: string, update: Uint8Array, storedKeys: readonly string[]): EncodedState {
    const base64 = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('base64');
    this.forget(name);
    if (base64.length > this.maxBytes / 4) return encodedState(name, base64);
    const held: KeptEncoding = {
      content,
      // This encoding as a lone snapshot is a stored form of it: what a fold of the loaded doc writes.
      stored: new Set([...storedKeys, storedKey({ snapshot: update, updates: [] })]),
      bytes: base64.length,
      state: encodedState(name, base64, (bytes) => {
        // Still kept (not dropped or replaced while it was compressed): it holds the compressed entry now.
        if (this.kept.get(name) !== held) return;
        this.keptBytes += bytes - held.bytes;
        held.bytes = bytes;
        this.bound();
      }),
    };
    this.kept.set(name, held);
    this.keptBytes += held.bytes;
    this.bound();
    return held.state;
  }

  private forget(name: string): void {
    const kept = this.kept.get(name);
    if (!kept) return;
    this.kept.delete(name);
    this.keptBytes -= kept.bytes;
  }

  private bound(): void {
    for (const [oldest, entry] of this.kept) {
      if (this.keptBytes <= this.maxBytes) break;
      this.kept.delete(oldest);
      this.keptBytes -= entry.bytes;
    }
  }
}

/** `compressed`: told the compressed entry's size once it is made and the base64 let go. */
function encodedState(name: string, base64: string, compressed?: (bytes: number) => void): EncodedState {
  const text = (update: string) => `${JSON.stringify(name)}:${JSON.stringify({ update })}`;
  if (base64.length < KEPT_ENTRY_MIN_CHARS) return { entry: () => text(base64) };
  // Held until the entry is compressed (and again if compressing it fails), then only the compressed bytes.
  let pending: string | null = base64;
  let entry: Promise<DeflatedPart> | null = null;
  return {
    entry: () =>
      (entry ??= deflatePart(text(pending!)).then(
        (part) => {
          pending = null;
          compressed?.(part.deflated.length);
          return part;
        },
        (error: unknown) => {
          entry = null;
          throw error;
        },
      )),
  };
}

/** A hash of the stored bytes, each part's length included so that no two different states share a key. */
function storedKey(state: DocState): string {
  const hash = createHash('sha1');
  const length = Buffer.alloc(4);
  for (const part of [state.snapshot ?? new Uint8Array(0), ...state.updates]) {
    length.writeUInt32BE(part.length);
    hash.update(length);
    hash.update(part);
  }
  return `${state.snapshot ? 's' : '-'}${state.updates.length}:${hash.digest('base64')}`;
}
