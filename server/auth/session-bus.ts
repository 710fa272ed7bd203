/**
 * How instances tell each other that sessions ended: one Redis pub/sub
 * channel, `lianxin:sessions`, when REDIS_URL is set. A message is one small
 * JSON object and carries token *hashes* and user ids, never tokens:
 *
 *   {"v":1,"from":"<instance>","reason":"signed_out","tokenHashes":["<sha256 hex>"]}
 *   {"v":1,"from":"<instance>","reason":"password_changed","userId":"grid1","exceptTokenHash":"<sha256 hex>"}
 *   {"v":1,"from":"<instance>","reason":"disabled","userId":"grid1"}
 *
 * The store is already changed when a message is sent (the sessions are
 * deleted), so a lost message costs only time: every instance also re-reads
 * the sessions it holds every SESSION_RECHECK. Messages that do not parse are
 * dropped and logged.
 */
import IORedis from 'ioredis';
import * as v from 'valibot';
import { UserIdSchema } from '#shared/org/roles.ts';
import { errorMessage, log } from '../log.ts';

export const SESSION_CHANNEL = 'lianxin:sessions';

const HashSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const SessionEndMessageSchema = v.object({
  reason: v.picklist(['signed_out', 'expired', 'disabled', 'password_changed', 'account_changed']),
  tokenHashes: v.optional(v.pipe(v.array(HashSchema), v.maxLength(1000))),
  userId: v.optional(UserIdSchema),
  exceptTokenHash: v.optional(HashSchema),
});
export type SessionEndMessage = v.InferOutput<typeof SessionEndMessageSchema>;

export interface SessionBus {
  publish(message: SessionEndMessage): void;
  subscribe(handler: (message: SessionEndMessage) => void): void;
  close(): Promise<void>;
}

/** One instance alone: nobody to tell. */
export const NO_BUS: SessionBus = {
  publish: () => undefined,
  subscribe: () => undefined,
  close: async () => undefined,
};

/**
 * The Redis bus: a publishing connection and a subscribed one (a subscribed
 * Redis connection can do nothing else). ioredis reconnects and subscribes
 * again by itself; while Redis is down a publish fails and is logged, and the
 * re-check carries the news instead.
 */
export class RedisSessionBus implements SessionBus {
  private readonly publisher: IORedis;
  private readonly subscriber: IORedis;
  private lastError = 0;

  constructor(
    url: string,
    private readonly instance: string,
  ) {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false } as const;
    this.publisher = new IORedis(url, options);
    this.subscriber = new IORedis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const client of [this.publisher, this.subscriber]) client.on('error', (error: Error) => this.warn('session_bus_error', error));
  }

  publish(message: SessionEndMessage): void {
    const text = JSON.stringify({ v: 1, from: this.instance, ...message });
    this.publisher.publish(SESSION_CHANNEL, text).catch((error: unknown) => this.warn('session_bus_publish_failed', error));
  }

  subscribe(handler: (message: SessionEndMessage) => void): void {
    this.subscriber.subscribe(SESSION_CHANNEL).catch((error: unknown) => this.warn('session_bus_subscribe_failed', error));
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== SESSION_CHANNEL) return;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
      if (typeof data === 'object' && data !== null && 'from' in data && data.from === this.instance) return;
      const parsed = v.safeParse(SessionEndMessageSchema, data);
      if (!parsed.success) {
        log.warn('session_bus_message_dropped', { length: text.length });
        return;
      }
      handler(parsed.output);
    });
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  /** At most one line every 30 s: a Redis outage must not flood the log. */
  private warn(event: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastError < 30_000) return;
    this.lastError = now;
    log.warn(event, { error: errorMessage(error) });
  }
}
