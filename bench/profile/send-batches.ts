/**
 * In process, the server's CPU for one device's return's worth of frames (110 of 120 B, bench/README.md
 * "Back online, part 6") sent to one WebSocket in one turn: each frame written on its own (ws's way)
 * against `batchSends` (one write for the turn). Two sockets to the same client process, interleaved;
 * CPU time of the sending turn (`process.cpuUsage`), median of 60 rounds.
 *
 *   npx tsx bench/profile/send-batches.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { batchSends } from '../../server/sync/send-batches.ts';
import { quantile } from '../lib/stats.ts';

const FRAMES = 110;
const ROUNDS = 60;
const http = createServer();
const wss = new WebSocketServer({ noServer: true });
let batched = false;
const accepted: WebSocket[] = [];
http.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (batched) batchSends(ws, socket);
    accepted.push(ws);
  }),
);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;

async function connect(batch: boolean): Promise<{ server: WebSocket; client: WebSocket; arrived: () => Promise<void> }> {
  batched = batch;
  const client = new WebSocket(url);
  await new Promise((resolve) => client.once('open', resolve));
  while (accepted.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const server = accepted.shift()!;
  let received = 0;
  let done = () => {};
  client.on('message', () => {
    if (++received % FRAMES === 0) done();
  });
  return { server, client, arrived: () => new Promise<void>((resolve) => (done = resolve)) };
}

const frame = new Uint8Array(120).fill(7);
async function round(side: Awaited<ReturnType<typeof connect>>): Promise<number> {
  const arrived = side.arrived();
  const cpu = process.cpuUsage();
  for (let n = 0; n < FRAMES; n++) side.server.send(frame);
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(cpu);
  await arrived;
  return used.user + used.system;
}

const plain = await connect(false);
const batch = await connect(true);
const before: number[] = [];
const after: number[] = [];
for (let n = 0; n < ROUNDS; n++) {
  before.push(await round(plain));
  after.push(await round(batch));
}
const b = quantile(before, 0.5);
const a = quantile(after, 0.5);
console.log(`${FRAMES} frames to one socket in one turn: one write each ${b.toFixed(0)} µs CPU, batchSends ${a.toFixed(0)} µs CPU (after/before ${(a / b).toFixed(3)}; median of ${ROUNDS})`);
plain.client.close();
batch.client.close();
http.close();
process.exit(0);
