/**
 * A gzip body assembled from pieces compressed once and kept (issue 18, first sync; bench/README.md,
 * "First sync, part 16"): the bulk read's answer is mostly doc states that do not change from one
 * device to the next, and compressing the whole answer again for every device was the part of the
 * server's time paid per request whatever was cached.
 *
 * A piece is raw deflate ending in a sync flush (byte-aligned, no final block), so pieces
 * compressed apart follow one another in one deflate stream: the kept ones as they are, the text
 * between them (the JSON's punctuation, errors, small docs, the server's time) compressed per
 * request. One gzip member: any client that reads gzip reads it. The CRC is over the whole text,
 * computed per request (zlib's crc32, about a millisecond per megabyte).
 */
import { constants, crc32, deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';

const deflateRawAsync = promisify(deflateRaw);

/** A piece of text and its raw deflate, ending in a sync flush. */
export interface DeflatedPart {
  readonly text: string;
  readonly deflated: Buffer;
}

/** Compressed off the event loop, once per kept piece. */
export async function deflatePart(text: string): Promise<DeflatedPart> {
  return { text, deflated: await deflateRawAsync(text, { finishFlush: constants.Z_SYNC_FLUSH }) };
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
  for (const { text, deflated } of await Promise.all(pieces)) {
    out.push(deflated);
    crc = crc32(text, crc);
    size += Buffer.byteLength(text);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  out.push(FINAL_BLOCK, trailer);
  return Buffer.concat(out);
}

/** The text the parts make (for a client that does not accept gzip). */
export function joinParts(parts: readonly (string | DeflatedPart)[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}
