/**
 * A gzip body assembled from pieces compressed once and kept (issue 18, first sync; bench/README.md,
 * "First sync, part 16"): the bulk read's answer is mostly doc states that do not change from one
 * device to the next, and compressing the whole answer again for every device was the part of the
 * server's time paid per request whatever was cached.
 *
 * A piece is raw deflate ending in a sync flush (byte-aligned, no final block), so pieces
 * compressed apart follow one another in one deflate stream: the kept ones as they are, the text
 * between them (the JSON's punctuation, errors, small docs, the server's time) compressed per
 * request. One gzip member: any client that reads gzip reads it. A kept piece keeps its text's CRC and
 * length, not the text (a street's index is megabytes of it); the answer's CRC is combined from the pieces'.
 */
import { constants, crc32, deflateRaw, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { crc32Combine } from './crc32-combine.ts';

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/** A piece of text as raw deflate ending in a sync flush, with the text's CRC-32 and its length in UTF-8 bytes. */
export interface DeflatedPart {
  readonly deflated: Buffer;
  readonly crc: number;
  readonly size: number;
}

/** Compressed off the event loop, once per kept piece. */
export async function deflatePart(text: string): Promise<DeflatedPart> {
  const deflated = await deflateRawAsync(text, { finishFlush: constants.Z_SYNC_FLUSH });
  return { deflated, crc: crc32(text), size: Buffer.byteLength(text) };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty stored block with BFINAL set: the end of the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x01, 0, 0, 0xff, 0xff]);

/**
 * One gzip member whose content is the parts' texts in order: kept parts as they were compressed, each run of
 * strings between them compressed now, together (small entries compress far better with their neighbours).
 */
export async function gzipParts(parts: readonly (string | DeflatedPart)[]): Promise<Buffer> {
  const pieces: Promise<DeflatedPart>[] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length > 0) pieces.push(deflatePart(run.join('')));
    run = [];
  };
  for (const part of parts) {
    if (typeof part === 'string') run.push(part);
    else {
      endRun();
      pieces.push(Promise.resolve(part));
    }
  }
  endRun();
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  for (const piece of await Promise.all(pieces)) {
    out.push(piece.deflated);
    crc = crc32Combine(crc, piece.crc, piece.size);
    size += piece.size;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  out.push(FINAL_BLOCK, trailer);
  return Buffer.concat(out);
}

/** The text the parts make, kept pieces inflated again (for a client that does not accept gzip). */
export async function joinParts(parts: readonly (string | DeflatedPart)[]): Promise<string> {
  const texts = await Promise.all(
    parts.map((part) => (typeof part === 'string' ? part : inflateRawAsync(part.deflated, { finishFlush: constants.Z_SYNC_FLUSH }).then((text) => text.toString()))),
  );
  return texts.join('');
}
