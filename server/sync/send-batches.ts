/**
 * The frames the server sends one WebSocket within one turn of the event loop
 * leave in one socket write. Hocuspocus sends each message on its own
 * (`ws.send`), and ws writes each frame at once: a device's return of 21 docs
 * was ≈ 110 writes — a syscall each (≈ 8 µs of CPU) and a wake-up of the
 * reader each (bench/README.md, "Back online, part 6"). Corked until the
 * loop's check phase (`setImmediate`),
 * they go out together in send order; nothing waits longer than the turn that
 * sent it.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

type Send = (...args: unknown[]) => void;

export function batchSends(ws: WebSocket, socket: Duplex): void {
  const send = ws.send.bind(ws) as Send;
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  const batched: Send = (...args) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    send(...args);
  };
  ws.send = batched as WebSocket['send'];
}
