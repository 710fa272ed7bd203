/**
 * The live relay between instances: Hocuspocus's Redis extension, made to
 * survive Redis going away.
 *
 * Redis is not persistence here — every update is in PostgreSQL before any
 * instance applies or publishes it — so losing Redis must cost only the live
 * relay: every instance keeps serving and acknowledging, and catches up from
 * the store when Redis is back (catch-up.ts). The upstream extension assumes
 * Redis is always there:
 *
 * - its publishes are fire-and-forget, and ioredis rejects commands queued
 *   while disconnected once `maxRetriesPerRequest` (20) reconnects have failed
 *   — about ten seconds into an outage. One of those rejections was never
 *   handled and took the process down (`MaxRetriesPerRequestError`);
 * - a document loaded while Redis is down waits on a subscribe that cannot
 *   happen, or fails to load;
 * - what was published while another instance was not subscribed is never
 *   sent again, so its live copies stay behind for as long as they are loaded.
 *
 * So: publishes go through `RelayClient`, whose `publish` never rejects (and
 * fails at once while disconnected instead of queueing); the subscriber keeps
 * its commands until it is back (ioredis re-subscribes every channel on
 * reconnect). Documents load without the relay while it is down, and their
 * channels are subscribed when it returns. When both connections are ready
 * again, a PING through the subscriber confirms the re-subscriptions are live,
 * then every loaded document is caught up from the store and announced to the
 * other instances (a sync step 1, which they answer with what they hold that
 * this one lacks); only then is the relay `up`. `/healthz` and `/metrics`
 * report its state.
 */
import IORedis, { type RedisOptions } from 'ioredis';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import {
  OutgoingMessage,
  type Document,
  type afterLoadDocumentPayload,
  type onAwarenessUpdatePayload,
  type onChangePayload,
  type onDestroyPayload,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';
import { errorMessage, log } from '../log.ts';
import type { CatchUp } from './catch-up.ts';

export type RelayState = 'connecting' | 'up' | 'down' | 'catching_up';

export interface RelayStatus {
  /** `up`: relaying; `down`: Redis unreachable, each instance on its own; `catching_up`: back, reading the store. */
  readonly state: RelayState;
  /** When it entered that state (ms since epoch). */
  readonly since: number;
  /** Times it was up and went down since start. */
  readonly outages: number;
  /** Reconnection attempts since it went down (0 while up). */
  readonly reconnectAttempts: number;
  /** Publishes that failed (Redis unreachable); the catch-up makes up for them. */
  readonly publishFailures: number;
  readonly lastError: string | null;
}

export interface RelayOptions {
  readonly url: string;
  /** Unique per process: Redis messages from ourselves are ignored by it. */
  readonly identifier: string;
  readonly catchUp: CatchUp;
  /** How long loading a document waits for its subscription and the other instances' state before going on without (ms). */
  readonly loadWaitMs?: number;
}

/** Reconnect quickly at first, then every two seconds, for ever. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2000);

/** An ioredis client whose publishes resolve to 0 instead of rejecting. */
class RelayClient extends IORedis {
  onPublishFailed: (error: unknown) => void = () => undefined;

  override publish(channel: string | Buffer, message: string | Buffer): Promise<number> {
    return super.publish(channel, message).catch((error: unknown) => {
      this.onPublishFailed(error);
      return 0;
    });
  }
}

interface Signal {
  readonly promise: Promise<void>;
  readonly fire: () => void;
}

function signal(): Signal {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

export class RedisRelay extends RedisExtension {
  readonly extensionName = 'RedisRelay';
  private readonly catchUp: CatchUp;
  private readonly loadWaitMs: number;
  private readonly publisher: RelayClient;
  private readonly subscriber: RelayClient;
  private state: RelayState = 'connecting';
  private since = Date.now();
  private outages = 0;
  private reconnectAttempts = 0;
  private publishFailures = 0;
  private lastError: string | null = null;
  /** Bumped whenever the relay goes down; work started before belongs to a past connection. */
  private generation = 0;
  private lost = signal();
  private catchingUp = false;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Where an instance back on the relay names the documents it changed while it could not relay. */
  private readonly catchUpChannel: string;

  constructor(options: RelayOptions) {
    // Publishes fail at once while disconnected (never queued, never retried
    // into a stale burst); the subscriber queues its (un)subscribes until back.
    const publisher = new RelayClient(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, connectionName: `${options.identifier}-pub` } satisfies RedisOptions);
    const subscriber = new RelayClient(options.url, { maxRetriesPerRequest: null, retryStrategy, connectionName: `${options.identifier}-sub` } satisfies RedisOptions);
    const created = [publisher, subscriber];
    super({ identifier: options.identifier, createClient: () => created.shift() ?? new IORedis(options.url, { retryStrategy }) });
    this.catchUp = options.catchUp;
    this.loadWaitMs = options.loadWaitMs ?? this.configuration.awaitInitialSyncTimeout + 2000;
    this.publisher = publisher;
    this.subscriber = subscriber;
    publisher.onPublishFailed = (error) => {
      this.publishFailures += 1;
      this.lastError = errorMessage(error);
    };
    for (const client of [publisher, subscriber]) {
      client.on('ready', () => this.maybeBack());
      client.on('close', () => this.wentDown('connection to Redis closed'));
      client.on('reconnecting', () => {
        if (this.state === 'down') this.reconnectAttempts += 1;
      });
      // Without a listener ioredis prints every failed reconnect; the state says it once.
      client.on('error', (error: Error) => {
        this.lastError = error.message;
      });
    }
    this.catchUpChannel = `${this.configuration.prefix}#lianxin-catch-up`;
    this.subscribeLater(this.catchUpChannel, true);
    // A message from another instance that cannot be applied must not become an unhandled rejection.
    for (const listener of subscriber.listeners('messageBuffer')) {
      if (typeof listener !== 'function') continue;
      subscriber.off('messageBuffer', listener as (...args: unknown[]) => void);
      subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => {
        const handle = channel.toString() === this.catchUpChannel ? () => this.onPeerBack(data) : () => Reflect.apply(listener, this, [channel, data]);
        Promise.resolve()
          .then(handle)
          .catch((error: unknown) => log.warn('relay_message_failed', { channel: channel.toString(), error: errorMessage(error) }));
      });
    }
  }

  /** Tell the other instances which documents changed here while the relay was down. */
  private async tell(changed: readonly string[]): Promise<void> {
    if (changed.length === 0) return;
    await this.publisher.publish(this.catchUpChannel, JSON.stringify({ from: this.configuration.identifier, docs: changed }));
  }

  private async onPeerBack(data: Buffer): Promise<void> {
    const message: unknown = JSON.parse(data.toString());
    if (typeof message !== 'object' || message === null || !('from' in message) || !('docs' in message) || !Array.isArray(message.docs)) return;
    if (message.from === this.configuration.identifier) return;
    const names = message.docs.filter((name): name is string => typeof name === 'string');
    const changed = await this.catchUp.peerChanged(names);
    log.info('relay_peer_caught_up', { from: String(message.from), named: names.length, caughtUp: changed });
  }

  status(): RelayStatus {
    return {
      state: this.state,
      since: this.since,
      outages: this.outages,
      reconnectAttempts: this.reconnectAttempts,
      publishFailures: this.publishFailures,
      lastError: this.lastError,
    };
  }

  /** Both connections are usable (the relay may still be catching up). */
  private redisReady(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  private wentDown(reason: string): void {
    if (this.stopped || this.state === 'down') return;
    const wasUp = this.state === 'up' || this.state === 'catching_up';
    this.state = 'down';
    this.since = Date.now();
    this.reconnectAttempts = 0;
    this.generation += 1;
    this.lost.fire();
    this.lost = signal();
    this.catchUp.relayDown();
    if (wasUp) this.outages += 1;
    log.warn('relay_down', { reason, error: this.lastError, note: 'instances serve and acknowledge on their own; live documents catch up from the store when Redis is back' });
  }

  private maybeBack(): void {
    if (this.stopped || this.state === 'up' || this.catchingUp || !this.redisReady()) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const generation = this.generation;
    const downSince = this.since;
    const wasDown = this.state === 'down';
    this.state = 'catching_up';
    this.since = Date.now();
    this.catchingUp = true;
    const aborted = () => generation !== this.generation || this.stopped;
    void (async () => {
      try {
        // Commands run in order: once PING answers, the channels ioredis
        // re-subscribed on reconnecting, and those queued while down, are live.
        await this.subscriber.ping();
        if (aborted()) return;
        const report = await this.catchUp.relayBack(
          (name, document) => this.announce(name, document),
          (changed) => this.tell(changed),
          aborted,
        );
        if (aborted()) return;
        this.state = 'up';
        this.since = Date.now();
        this.reconnectAttempts = 0;
        if (wasDown) log.info('relay_up', { downMs: Date.now() - downSince, docs: report.docs, caughtUp: report.changed, told: report.told ?? 0 });
      } catch (error) {
        if (aborted()) return;
        log.error('relay_catch_up_failed', { error: errorMessage(error), note: 'retrying in a second' });
        this.retry = setTimeout(() => this.maybeBack(), 1000);
        this.retry.unref();
      } finally {
        this.catchingUp = false;
      }
    })();
  }

  /** Ask the other instances for what they hold of `name` that we lack (they answer on our reply channel). */
  private async announce(name: string, document: Document): Promise<void> {
    const message = new OutgoingMessage(name).createSyncMessage().writeFirstSyncStepFor(document).toUint8Array();
    await this.publisher.publish(`${this.configuration.prefix}:${name}`, Buffer.concat([this.messagePrefix, Buffer.from(message)]));
  }

  /** Subscribe without waiting: queued while disconnected, sent (after the re-subscriptions) on reconnect. */
  private subscribeLater(name: string, isChannel = false): void {
    this.subscriber.subscribe(isChannel ? name : `${this.configuration.prefix}:${name}`).catch((error: unknown) => {
      this.lastError = errorMessage(error);
    });
  }

  override async afterLoadDocument(payload: afterLoadDocumentPayload): Promise<void> {
    const name = payload.documentName;
    const epoch = this.catchUp.currentEpoch();
    if (!this.redisReady()) {
      // Loaded from the store just now; stale until the relay is back and it is caught up.
      this.subscribeLater(name);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const loaded = await Promise.race([
      super.afterLoadDocument(payload).then(
        () => true,
        (error: unknown) => {
          log.warn('relay_subscribe_failed', { doc: name, error: errorMessage(error) });
          return false;
        },
      ),
      this.lost.promise.then(() => false),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.loadWaitMs);
      }),
    ]);
    clearTimeout(timer);
    if (loaded) this.catchUp.markFresh(name, epoch);
    // The upstream extension unsubscribes a document whose load failed; it is loaded anyway.
    else this.subscribeLater(name);
  }

  /** The store folds the log under its own lock; Redis's lock only saves two instances the same work. */
  override async onStoreDocument(payload: onStoreDocumentPayload): Promise<void> {
    if (this.state !== 'up') return;
    await super.onStoreDocument(payload);
  }

  override async onChange(data: onChangePayload): Promise<void> {
    // Nothing can be published; the catch-up brings the others this change.
    if (!this.redisReady()) return;
    await super.onChange(data);
  }

  /** No client uses awareness, and the server drops it at the socket: there is none to relay. */
  override async onAwarenessUpdate(_payload: onAwarenessUpdatePayload): Promise<void> {}

  override async onDestroy(_payload?: onDestroyPayload): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    try {
      await super.onDestroy();
    } catch {
      // Redis unreachable at shutdown: nothing to release there.
    } finally {
      this.publisher.disconnect();
      this.subscriber.disconnect();
    }
  }
}
