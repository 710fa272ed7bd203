/**
 * The transfer baseline: a plain Node HTTP server with nothing but bytes.
 *   GET  /bytes/N   N bytes (generated once, kept in memory)
 *   PUT|POST /any   reads the body, answers 201 with its length
 * Started as its own process, like the Lianxin server, so client and server
 * do not share an event loop.
 *
 *   node --import tsx bench/baseline/plain-http.ts   (prints "listening on URL")
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const blobs = new Map<number, Buffer>();

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
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  req.on('end', () => {
    const text = JSON.stringify({ size });
    res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(text.length) });
    res.end(text);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`plain HTTP listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
