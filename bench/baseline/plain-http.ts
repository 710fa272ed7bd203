/**
 * The transfer baseline: a plain Node HTTP server with nothing but bytes.
 *   GET  /bytes/N   N bytes (generated once, kept in memory)
 *   PUT|POST /any   reads the body, answers 201 with its length
 *   PUT|POST /durable/NAME  the same, once the body is on disk the way a store keeps a
 *                   file for good: a temporary file written and fsynced,
 *                   renamed into place, the folder fsynced (the floor of any
 *                   upload that is confirmed only when it is durable)
 * Started as its own process, like the Lianxin server, so client and server
 * do not share an event loop.
 *
 *   node --import tsx bench/baseline/plain-http.ts   (prints "listening on URL")
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const blobs = new Map<number, Buffer>();
const durableDir = mkdtempSync(join(tmpdir(), 'lianxin-plain-durable-'));

async function writeDurably(name: string, body: Buffer): Promise<void> {
  const temp = join(durableDir, `.${name}.tmp`);
  const file = await open(temp, 'w');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, join(durableDir, name));
  const folder = await open(durableDir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

function created(res: ServerResponse, size: number): void {
  const text = JSON.stringify({ size });
  res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(text.length) });
  res.end(text);
}

const server = createServer((req, res) => {
  const match = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && match) {
    const size = Math.min(Number(match[1]), 512 * 1024 * 1024);
    let body = blobs.get(size);
    if (!body) {
      body = randomBytes(size);
      blobs.set(size, body);
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) });
    res.end(body);
    return;
  }
  const durable = /^\/durable\/([\w-]+)$/.exec(req.url ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (durable) chunks.push(chunk);
  });
  req.on('end', () => {
    if (!durable) return created(res, size);
    writeDurably(durable[1]!, Buffer.concat(chunks, size)).then(
      () => created(res, size),
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`plain HTTP listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
