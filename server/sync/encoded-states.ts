/**
 * The bulk read's doc states, encoded once and kept (issue 18, first sync;
 * docs/SERVER.md, "A bulk read endpoint"): a street's index is megabytes of Yjs state,
 * and decoding the stored snapshot and log into a doc and encoding it again
 * for every device that signs in was most of the server's time in a first
 * sync. Kept as the base64 the answer carries, so the next device of the
 * same street costs a hash and a copy.
 *
 * - A doc held in memory (Hocuspocus has it loaded): encoded once per
 *   change; any update to the doc drops its encoding.
 * - A doc read from the store: keyed by a hash of the stored bytes (snapshot
 *   and log), so any write — by this instance or another one sharing the
 *   store — gives a different key and the state is merged again. Nothing to
 *   invalidate, nothing to share between instances. Merged through a doc
 *   even when it is a lone snapshot, so damaged bytes are found here.
 *
 * Bounded: the stored docs' encodings are dropped least recently used first
 * beyond `maxBytes`; a live doc's lives and dies with the doc.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { DocState } from '../store/store.ts';
import { mergeState } from './merge-state.ts';

/** Default bound for the stored docs' encodings (a street's live index is ~4 MB as base64). */
export const ENCODED_STATES_MAX_BYTES = 64 * 1024 * 1024;

export class EncodedStates {
  /** Doc name → the hash of the stored bytes it was merged from and the encoding, least recently used first. */
  private readonly stored = new Map<string, { readonly key: string; readonly base64: string }>();
  private readonly live = new WeakMap<Y.Doc, string>();
  private storedBytes = 0;

  constructor(private readonly maxBytes = ENCODED_STATES_MAX_BYTES) {}

  /** The base64 of a loaded doc's state, encoded at most once per change of the doc. */
  ofLive(doc: Y.Doc): string {
    const kept = this.live.get(doc);
    if (kept !== undefined) return kept;
    const base64 = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
    this.live.set(doc, base64);
    doc.once('update', () => this.live.delete(doc));
    return base64;
  }

  /** The base64 of a stored doc's state (snapshot and log merged), merged at most once per stored content. */
  ofStored(name: string, state: DocState): string {
    const key = storedKey(state);
    const kept = this.stored.get(name);
    if (kept?.key === key) {
      // Most recently used last.
      this.stored.delete(name);
      this.stored.set(name, kept);
      return kept.base64;
    }
    // Decoded even when a lone snapshot: damaged bytes must fail here (storage_error), not on the device.
    const merged = mergeState(state);
    const base64 = Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength).toString('base64');
    this.forget(name);
    if (base64.length <= this.maxBytes / 4) {
      this.stored.set(name, { key, base64 });
      this.storedBytes += base64.length;
      for (const [oldest, entry] of this.stored) {
        if (this.storedBytes <= this.maxBytes) break;
        this.stored.delete(oldest);
        this.storedBytes -= entry.base64.length;
      }
    }
    return base64;
  }

  /** Bytes held for stored docs (for tests and metrics). */
  get bytes(): number {
    return this.storedBytes;
  }

  private forget(name: string): void {
    const kept = this.stored.get(name);
    if (!kept) return;
    this.stored.delete(name);
    this.storedBytes -= kept.base64.length;
  }
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
