/** Hand-made Hocuspocus messages for a raw WebSocket, to send what no provider would. */
import WebSocket from 'ws';

export function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function varString(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...varUint(bytes.length), ...bytes];
}

export const authMessage = (doc: string, token: string) => Uint8Array.from([...varString(doc), 2, 0, ...varString(token)]);
export const syncStep1 = (doc: string) => Uint8Array.from([...varString(doc), 0, 0, 1, 0]);
export const updateMessage = (doc: string, update: Uint8Array) => Uint8Array.from([...varString(doc), 0, 2, ...varUint(update.length), ...update]);

/** A raw socket that records what the server sends, decoded enough to assert on. */
export class RawSocket {
  readonly received: Uint8Array[] = [];
  closedWith: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.received.push(new Uint8Array(data)));
    ws.on('close', (code: number) => {
      this.closedWith = code;
    });
    ws.on('error', () => undefined);
  }

  static open(wsUrl: string): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.once('open', () => resolve(new RawSocket(ws)));
      ws.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** Text of every stateless (type 5) and close (type 7) message received so far. */
  texts(): { type: number; text: string }[] {
    const out: { type: number; text: string }[] = [];
    for (const message of this.received) {
      let pos = 0;
      const readUint = () => {
        let value = 0;
        let mult = 1;
        for (;;) {
          const byte = message[pos++]!;
          value += (byte & 0x7f) * mult;
          if (byte < 0x80) return value;
          mult *= 128;
        }
      };
      const readString = () => {
        const len = readUint();
        const text = new TextDecoder().decode(message.subarray(pos, pos + len));
        pos += len;
        return text;
      };
      try {
        readString();
        const type = readUint();
        if (type === 5 || type === 7) out.push({ type, text: readString() });
      } catch {
        // not for us
      }
    }
    return out;
  }

  /** Every Auth (type 2) answer so far: granted (with its scope) or denied (with the reason). */
  auths(): { doc: string; ok: boolean; text: string }[] {
    const out: { doc: string; ok: boolean; text: string }[] = [];
    for (const message of this.received) {
      const reader = new MessageReader(message);
      try {
        const doc = reader.string();
        if (reader.uint() !== 2) continue;
        const kind = reader.uint();
        out.push({ doc, ok: kind === 2, text: reader.string() });
      } catch {
        // not for us
      }
    }
    return out;
  }

  /** The Yjs updates of every sync step 2 and update (type 0) the server sent on `doc`. */
  updates(doc: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const message of this.received) {
      const reader = new MessageReader(message);
      try {
        if (reader.string() !== doc || reader.uint() !== 0) continue;
        const step = reader.uint();
        if (step === 1 || step === 2) out.push(reader.bytes());
      } catch {
        // not for us
      }
    }
    return out;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** lib0 varUint / varString / varUint8Array, as the server writes them. */
class MessageReader {
  private pos = 0;
  constructor(private readonly message: Uint8Array) {}

  uint(): number {
    let value = 0;
    let mult = 1;
    for (;;) {
      if (this.pos >= this.message.length) throw new Error('end of message');
      const byte = this.message[this.pos++]!;
      value += (byte & 0x7f) * mult;
      if (byte < 0x80) return value;
      mult *= 128;
    }
  }

  bytes(): Uint8Array {
    const length = this.uint();
    if (this.pos + length > this.message.length) throw new Error('end of message');
    const out = this.message.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
