/**
 * The worker thread of `FoldThread` (server/sync/fold-thread.ts): folds a
 * document's snapshot and log into one update and sends it back.
 */
import { parentPort } from 'node:worker_threads';
import { mergeState } from './merge-state.ts';
import type { FoldReply, FoldRequest } from './fold-thread.ts';

const port = parentPort;
if (!port) throw new Error('fold-worker.ts runs as a worker thread');
port.on('message', ({ id, snapshot, updates }: FoldRequest) => {
  let reply: FoldReply;
  try {
    reply = { id, merged: mergeState({ snapshot, updates }) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, 'merged' in reply ? [reply.merged.buffer as ArrayBuffer] : []);
});
