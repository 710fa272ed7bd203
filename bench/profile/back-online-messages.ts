/**
 * Messages per document on the `back-online` case's reconnect (bench/README.md, "Back online"):
 * every WebSocket message the bench devices send and receive, decoded as Hocuspocus frames
 * (document name, message type, sync step), counted per socket. The reconnecting device's socket
 * is the third one of a run (the device online, the remote writer, the device back).
 *
 *   npx tsx bench/profile/back-online-messages.ts [--full]
 */
import * as decoding from 'lib0/decoding';
import { BrowserLikeWebSocket } from '../../tests/server/support/client.ts';
import { backOnline } from '../cases/back-online.ts';

const TYPES: Record<number, string> = { 0: 'sync', 1: 'awareness', 2: 'auth', 3: 'query-awareness', 4: 'sync-reply', 5: 'stateless', 6: 'broadcast-stateless', 7: 'close', 8: 'sync-status', 9: 'ping', 10: 'pong' };
const SYNC_STEPS: Record<number, string> = { 0: 'step1', 1: 'step2', 2: 'update' };
const sockets: Map<string, { count: number; bytes: number; first: number; last: number }>[] = [];
/** Per socket, when its first frame went up (performance.now()): the timeline's zero. */
const opened: number[] = [];
const ids = new WeakMap<object, number>();

function frame(data: Uint8Array): { doc: string; kind: string } {
  const d = decoding.createDecoder(data);
  const doc = decoding.readVarString(d);
  const type = decoding.readVarUint(d);
  const kind = TYPES[type] ?? `type ${type}`;
  if (type === 0) return { doc, kind: `${kind} ${SYNC_STEPS[decoding.readVarUint(d)] ?? '?'}` };
  if (type === 2) return { doc, kind: `${kind} ${decoding.readVarUint(d)}` };
  return { doc, kind };
}

function count(socket: object, direction: 'up' | 'down', data: unknown): void {
  let id = ids.get(socket);
  if (id === undefined) {
    ids.set(socket, (id = sockets.length));
    sockets.push(new Map());
    opened.push(performance.now());
  }
  const at = performance.now() - opened[id]!;
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : Array.isArray(data) ? new Uint8Array(Buffer.concat(data as Buffer[])) : null;
  if (!bytes) return;
  const { doc, kind } = frame(bytes);
  const key = `${direction} ${doc.startsWith('order:') ? 'order doc' : doc} ${kind}`;
  const entry = sockets[id]!.get(key) ?? { count: 0, bytes: 0, first: at, last: at };
  entry.last = at;
  entry.count += 1;
  entry.bytes += bytes.length;
  sockets[id]!.set(key, entry);
}

const proto = BrowserLikeWebSocket.prototype as unknown as { send: (data: unknown, ...rest: unknown[]) => void; emit: (event: string, ...args: unknown[]) => boolean };
const send = proto.send;
proto.send = function (this: object, data: unknown, ...rest: unknown[]) {
  count(this, 'up', data);
  return send.call(this, data, ...rest);
};
const emit = proto.emit;
proto.emit = function (this: object, event: string, ...args: unknown[]) {
  if (event === 'message') count(this, 'down', args[0]);
  return emit.call(this, event, ...args);
};

const full = process.argv.includes('--full');
await backOnline.run({ quick: !full, runs: 1, log: (m: string) => console.log(m) } as Parameters<typeof backOnline.run>[0]);
const back = sockets[2];
if (!back) throw new Error('no third socket');
console.log("\nthe reconnecting device's socket (order docs summed; first and last frame, ms after its first frame up):");
for (const [key, { count: n, bytes, first, last }] of [...back].sort((a, b) => a[1].first - b[1].first)) {
  console.log(`  ${key.padEnd(48)} ${String(n).padStart(5)} messages ${String(bytes).padStart(9)} bytes  ${first.toFixed(1).padStart(7)} – ${last.toFixed(1).padStart(7)} ms`);
}
