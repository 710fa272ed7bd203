/**
 * batchSends (server/sync/send-batches.ts): the frames sent to one WebSocket in one turn of the
 * event loop leave in one socket write, in order, and nothing is held past that turn.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { batchSends } from '#server/sync/send-batches.ts';
import { waitFor } from '../support/wait.ts';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** A ws server whose sockets send in batches, one client connected to it. */
async function pair(): Promise<{ ws: WebSocket; socket: Duplex; client: WebSocket; received: string[] }> {
  const http = createServer();
  server = http;
  const wss = new WebSocketServer({ noServer: true });
  const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) => {
    http.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        batchSends(ws, socket);
        resolve({ ws, socket });
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await new Promise((resolve) => client.once('open', resolve));
  return { ...(await accepted), client, received };
}

/** Counts the server socket's writes to the kernel (one `_writev` or `_write` per flush). */
function countWrites(socket: Duplex): () => number {
  let writes = 0;
  const target = socket as Duplex & { _writev?: (...args: unknown[]) => void; _write: (...args: unknown[]) => void };
  const writev = target._writev?.bind(target);
  const write = target._write.bind(target);
  if (writev) target._writev = (...args) => (writes++, writev(...args));
  target._write = (...args) => (writes++, write(...args));
  return () => writes;
}

it('sends the frames of one turn in one write, in order, and those of the next turn after it', async () => {
  const { ws, socket, client, received } = await pair();
  const writes = countWrites(socket);
  for (let n = 0; n < 30; n++) ws.send(`a${n}`);
  expect(socket.writableCorked).toBeGreaterThan(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes()).toBe(1);
  ws.send('b0');
  ws.send('b1');
  await waitFor(() => received.length === 32, 'the 32 frames at the client');
  expect(received).toEqual([...Array.from({ length: 30 }, (_, n) => `a${n}`), 'b0', 'b1']);
  expect(writes()).toBe(2);
  client.close();
});

it('delivers what was sent before a close in the same turn, then the close', async () => {
  const { ws, client, received } = await pair();
  const closed = new Promise<number>((resolve) => client.once('close', (code: number) => resolve(code)));
  ws.send('last');
  ws.close(4001, 'bye');
  expect(await closed).toBe(4001);
  expect(received).toEqual(['last']);
});
