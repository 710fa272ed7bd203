/**
 * Just enough of the Hocuspocus wire format to see what a raw client message
 * is before Hocuspocus applies it: `varString address · varUint type ·
 * (for Sync) varUint step · varUint8Array update`. lib0's encoding, read by
 * hand so that a truncated or hostile message gives an error, not garbage.
 */

export const MESSAGE_SYNC = 0;
export const MESSAGE_SYNC_REPLY = 4;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
  | { readonly kind: 'update'; readonly address: string; readonly step: typeof SYNC_STEP2 | typeof SYNC_UPDATE; readonly update: Uint8Array }
  | { readonly kind: 'other'; readonly address: string; readonly type: number };

export class WireError extends Error {}

class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varUint(): number {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.bytes.length) throw new WireError('message ends inside a number');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
    throw new WireError('number too long');
  }

  bytesOf(length: number): Uint8Array {
    if (length > this.bytes.length - this.pos) throw new WireError(`message truncated: ${length} bytes announced, ${this.bytes.length - this.pos} left`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  varString(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytesOf(this.varUint()));
  }
}

export function readClientMessage(raw: Uint8Array): ClientMessage {
  const reader = new Reader(raw);
  const address = reader.varString();
  const type = reader.varUint();
  if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return { kind: 'other', address, type };
  const step = reader.varUint();
  if (step === SYNC_STEP1) return { kind: 'other', address, type };
  if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) throw new WireError(`unknown sync step ${step}`);
  return { kind: 'update', address, step, update: reader.bytesOf(reader.varUint()) };
}
