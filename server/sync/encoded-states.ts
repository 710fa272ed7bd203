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
 * - A doc held in memory (Hocuspocus has it loaded): encoded once per
 *   change; any update to the doc drops its encoding.
 * - A doc read from the store: keyed by a hash of the stored bytes (snapshot
 *   and log), so any write — by this instance or another one sharing the
 *   store — gives a different key and the state is merged again. Nothing to
 *   invalidate, nothing to share between instances. Merged through a doc
 *   even when it is a lone snapshot, so damaged bytes are found here.
 *
 * Bounded: the stored docs' encodings are
 * dropped least recently used first beyond `maxBytes`; a live doc's lives and
 * dies with the doc.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { deflatePart, type DeflatedPart } from '../http/gzip-parts.ts';
import type { DocState } from '../store/store.ts';
import { mergeState } from './merge-state.ts';

/** Default bound for the stored docs' encodings (a street's live index is ~4 MB as base64). */
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

interface StoredEncoding {
  readonly key: string;
  readonly state: EncodedState;
  /** The bytes it holds: the base64, then the compressed entry alone once made. */
  bytes: number;
}

export class EncodedStates {
  /** Doc name → the hash of the stored bytes it was merged from and the encoding, least recently used first. */
  private readonly stored = new Map<string, StoredEncoding>();
  private readonly live = new WeakMap<Y.Doc, EncodedState>();
  private storedBytes = 0;

  constructor(private readonly maxBytes = ENCODED_STATES_MAX_BYTES) {}

  /** A loaded doc's state, encoded at most once per change of the doc. */
  ofLive(name: string, doc: Y.Doc): EncodedState {
    const kept = this.live.get(doc);
    if (kept !== undefined) return kept;
    const state = encodedState(name, Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'));
    this.live.set(doc, state);
    doc.once('update', () => this.live.delete(doc));
    return state;
  }

  /** A stored doc's state (snapshot and log merged), merged at most once per stored content. */
  ofStored(name: string, stored: DocState): EncodedState {
    const key = storedKey(stored);
    const kept = this.stored.get(name);
    if (kept?.key === key) {
      // Most recently used last.
      this.stored.delete(name);
      this.stored.set(name, kept);
      return kept.state;
    }
    // Decoded even when a lone snapshot: damaged bytes must fail here (storage_error), not on the device.
    const merged = mergeState(stored);
    const base64 = Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength).toString('base64');
    this.forget(name);
    if (base64.length > this.maxBytes / 4) return encodedState(name, base64);
    const held: StoredEncoding = {
      key,
      bytes: base64.length,
      state: encodedState(name, base64, (bytes) => {
        // Still kept (not dropped or replaced while it was compressed): it holds the compressed entry now.
        if (this.stored.get(name) !== held) return;
        this.storedBytes += bytes - held.bytes;
        held.bytes = bytes;
        this.bound();
      }),
    };
    this.stored.set(name, held);
    this.storedBytes += held.bytes;
    this.bound();
    return held.state;
  }

  /** Bytes held for stored docs (for tests and metrics). */
  get bytes(): number {
    return this.storedBytes;
  }

  private forget(name: string): void {
    const kept = this.stored.get(name);
    if (!kept) return;
    this.stored.delete(name);
    this.storedBytes -= kept.bytes;
  }

  private bound(): void {
    for (const [oldest, entry] of this.stored) {
      if (this.storedBytes <= this.maxBytes) break;
      this.stored.delete(oldest);
      this.storedBytes -= entry.bytes;
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
