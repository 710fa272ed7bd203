/**
 * A photo's file work in a worker thread: the temporary file written, fsynced, closed and renamed into
 * place, then its folder fsynced. On the event loop each of those steps is a libuv callback that waits
 * for the loop's next turn; on a device's return the loop is busy with its docs for ≈ 80 ms, and the
 * first photo spent 58 of its 72 ms waiting in that queue before its fsync even began (bench/README.md,
 * "Back online, part 7"). In the thread the steps follow each other on a loop that does nothing else
 * (its own async calls, so two photos in flight still overlap their fsyncs), and the event loop is
 * asked for two turns: "placed" (the rows' commit starts, beside the folder's fsync) and "synced".
 * Same steps, same guarantee: the reply still waits for the file's fsync, the folder's and the rows'.
 *
 * One worker, started with the server (not at the first photo, inside someone's upload) and not keeping
 * the process alive. If it cannot start or dies, the photos waiting on it and every later one are
 * written on the event loop, as before (`PhotoStore`'s own steps), each under a temporary name of its
 * own: a file placed twice is the same bytes renamed over themselves.
 */
import { HelperThread } from '../helper-thread.ts';

export interface PlaceRequest {
  readonly id: number;
  readonly folder: string;
  /** Where the file ends up; it is written first under a temporary name of its own in the same folder. */
  readonly final: string;
  readonly bytes: Uint8Array;
}

interface ThreadError {
  readonly message: string;
  readonly code?: string;
}

export type PlaceReply =
  | { readonly id: number; readonly stage: 'placed' | 'synced' }
  | { readonly id: number; readonly stage: 'placed' | 'synced'; readonly error: ThreadError };

/** Plain CommonJS, evaluated as the worker's source: no TypeScript loader to start in the thread. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { randomBytes } = require('node:crypto');
const { mkdir, open, rename, unlink } = require('node:fs/promises');
const { basename, join } = require('node:path');
const failure = (error) => ({ message: error instanceof Error ? error.message : String(error), code: typeof error?.code === 'string' ? error.code : undefined });
async function sync(path, flags, bytes) {
  const handle = await open(path, flags);
  try {
    if (bytes) await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
async function place({ id, folder, final, bytes }) {
  const temp = join(folder, '.' + basename(final) + '.' + randomBytes(6).toString('hex') + '.tmp');
  try {
    await mkdir(folder, { recursive: true });
    await sync(temp, 'wx', bytes);
    try {
      await rename(temp, final);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    parentPort.postMessage({ id, stage: 'placed', error: failure(error) });
    return;
  }
  parentPort.postMessage({ id, stage: 'placed' });
  try {
    await sync(folder, 'r');
    parentPort.postMessage({ id, stage: 'synced' });
  } catch (error) {
    parentPort.postMessage({ id, stage: 'synced', error: failure(error) });
  }
}
parentPort.on('message', (request) => void place(request));
`;

/** The two moments of a photo's file work: in place under its name (fsynced), and its folder's entry durable. */
export interface Placing {
  readonly placed: Promise<void>;
  readonly synced: Promise<void>;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The caller may never read `synced` when `placed` failed.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

interface Waiting {
  readonly request: PlaceRequest;
  readonly placed: Deferred;
  readonly synced: Deferred;
  stage: 'placing' | 'syncing';
}

/** What is done on the event loop when the thread is not there: the same steps (`PhotoStore`). */
export interface PlaceHere {
  readonly place: (request: PlaceRequest) => Promise<void>;
  readonly syncFolder: (folder: string) => Promise<void>;
}

export class PhotoThread {
  /** Photos whose file work the worker finished (tests). */
  completed = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private here: PlaceHere | null = null;
  private readonly thread = new HelperThread<PlaceReply>({
    name: 'photo',
    source: WORKER_SOURCE,
    // Plain JavaScript: the worker starts without the server's TypeScript loader.
    execArgv: [],
    onMessage: (reply) => this.settle(reply),
    onFail: () => this.finishHere(),
  });

  /** Starts the worker now, so the first photo does not wait for it; false if it cannot start. */
  start(): boolean {
    return this.thread.start();
  }

  /** True once the worker failed or was closed: `place` would do the work on the event loop. */
  get failed(): boolean {
    return this.thread.failed;
  }

  /** The file work of one photo in the worker; `here` does it on the event loop if the worker fails meanwhile. */
  place(request: Omit<PlaceRequest, 'id'>, here: PlaceHere): Placing {
    this.here = here;
    const id = this.nextId++;
    const waiting: Waiting = { request: { ...request, id }, placed: deferred(), synced: deferred(), stage: 'placing' };
    this.waiting.set(id, waiting);
    if (!this.thread.post(waiting.request)) this.finishHere();
    return { placed: waiting.placed.promise, synced: waiting.synced.promise };
  }

  async close(): Promise<void> {
    await this.thread.close();
    this.finishHere();
  }

  private settle(reply: PlaceReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    const error = 'error' in reply ? Object.assign(new Error(reply.error.message), reply.error.code === undefined ? {} : { code: reply.error.code }) : null;
    if (reply.stage === 'placed') {
      if (error) {
        this.done(reply.id);
        waiting.placed.reject(error);
        waiting.synced.reject(error);
        return;
      }
      waiting.stage = 'syncing';
      waiting.placed.resolve();
      return;
    }
    this.done(reply.id);
    if (error) {
      waiting.synced.reject(error);
      return;
    }
    this.completed += 1;
    waiting.synced.resolve();
  }

  private done(id: number): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.thread.idle();
  }

  /** The photos still waiting on the worker, finished on the event loop from the step they had reached. */
  private finishHere(): void {
    const here = this.here;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { request, placed, synced, stage } of waiting) {
      const fail = (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        placed.reject(failure);
        synced.reject(failure);
      };
      if (!here) {
        fail(new Error('the photo thread stopped'));
        continue;
      }
      const placing = stage === 'placing' ? here.place(request).then(placed.resolve) : Promise.resolve();
      placing.then(
        () => here.syncFolder(request.folder).then(synced.resolve, synced.reject),
        fail,
      );
    }
  }
}
