/**
 * Configuration from flags and environment variables (flags win). Every
 * setting is listed in docs/SERVER.md.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_DAILY_LIMITS, DEFAULT_OFFLINE_MAX_MS, DEFAULT_WRITE_LIMITS } from '#shared/sync/guard.ts';

/**
 * A log smaller than this is not folded into its snapshot, however small the snapshot
 * (`worthCompacting` in server/sync/durable.ts): folding a small doc costs a fixed decode and
 * encode of all of it, which, done every few updates, was the largest item of the server's
 * CPU under load (bench/README.md, "Fan-out, part 3"); reading 16 KB more log on a load does not show.
 */
export const DEFAULT_COMPACT_MIN_BYTES = 16 * 1024;

/** Where `npm run build:pwa` puts the field app. */
export const DEFAULT_PWA_DIR = fileURLToPath(new URL('../dist/pwa', import.meta.url));

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; SQLite in dataDir when null. */
  readonly databaseUrl: string | null;
  /** Redis URL; with it, instances share live documents. Requires databaseUrl. */
  readonly redisUrl: string | null;
  readonly photoDir: string;
  /** The built field PWA, served at `/`. */
  readonly pwaDir: string;
  readonly photoMaxBytes: number;
  /** New photo bytes one user may store in any 24 hours (429 above). */
  readonly photoQuotaPerDayBytes: number;
  readonly jsonMaxBytes: number;
  readonly wsMaxPayloadBytes: number;
  /** Documents one WebSocket may have open (or opening) at once; more are refused with `too_many_documents`. */
  readonly maxDocsPerSocket: number;
  /** Messages per second one WebSocket may send, with bursts of five seconds' worth; past it the server stops reading it for a while. */
  readonly wsMessageRate: number;
  /** How often the server pings each WebSocket (the provider answers; both sides count it as activity). */
  readonly wsPingIntervalMs: number;
  readonly sessionTtlMs: number;
  /** A channel to an order that does not exist yet is closed if it has not created it (a field report) within this time. */
  readonly newOrderTimeoutMs: number;
  /**
   * Called-back orders leave the live index docs this long after they closed
   * (archived and merged ones at once), for the month's archive doc
   * (shared/order/index-placement.ts; the PWA fetches archives on demand);
   * null keeps every order live (`--index-live off`). Default 30 days.
   */
  readonly indexLiveMs: number | null;
  /** How long the indexer keeps an index doc open after its last write (it may unload after that). */
  readonly indexHoldMs: number;
  /**
   * A live index doc is rolled over to its next generation once its folded state passes this many bytes and twice
   * its live entries' size (server/sync/index-generations.ts); null: never (`--index-rollover off`). Default 256 KB.
   */
  readonly indexRolloverBytes: number | null;
  /** How often each instance reads the sessions it holds back from the store (changes made elsewhere end them within this). */
  readonly sessionRecheckMs: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges). The
   * client address (login throttling, logs) is the socket's peer otherwise.
   */
  readonly trustProxy: readonly string[];
  /** Entries each login-throttle table keeps (addresses, accounts, account × address); the quietest go first. */
  readonly loginThrottleEntries: number;
  /** /healthz says 503 when the data folder or the photo folder has less free space than this. */
  readonly minFreeBytes: number;
  /** Bearer token for GET /metrics; without one /metrics answers 403. */
  readonly metricsToken: string | null;
  /** 'auto': seed the demo data when the store has no users. */
  readonly seedDemo: 'auto' | 'always' | 'never';
  /** JSON or CSV files to import (org tree and users) before listening. */
  readonly importFiles: readonly string[];
  readonly corsOrigin: string;
  /** How long after the last change a document's log is folded into its snapshot. */
  readonly compactDebounceMs: number;
  readonly compactMaxDebounceMs: number;
  /** A document's log is folded only once it holds this many bytes (or a quarter of the snapshot, if more): `worthCompacting`. */
  readonly compactMinBytes: number;
  /** How far a device clock may run ahead of the server's (or behind what it had seen) and its events still be believed. */
  readonly clockSkewMs: number;
  /** The longest a device may keep work unsynced across a new sign-in: no event is older than the session's start less this. */
  readonly offlineMaxMs: number;
  /** Largest event (or field report intake), serialized as JSON. */
  readonly eventMaxBytes: number;
  /** Largest order doc the server stores. */
  readonly orderMaxBytes: number;
  /** Most events in one order. */
  readonly orderMaxEvents: number;
  /** Most events one user may write through sync in 24 hours. */
  readonly userDailyEvents: number;
  /** Most bytes one user may write through sync in 24 hours. */
  readonly userDailyBytes: number;
  readonly name: string;
  readonly quiet: boolean;
}

export interface ConfigInput {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string | null;
  readonly redisUrl?: string | null;
  readonly photoDir?: string;
  readonly pwaDir?: string;
  readonly photoMaxBytes?: number;
  readonly photoQuotaPerDayBytes?: number;
  readonly jsonMaxBytes?: number;
  readonly wsMaxPayloadBytes?: number;
  readonly maxDocsPerSocket?: number;
  readonly wsMessageRate?: number;
  readonly wsPingIntervalMs?: number;
  readonly sessionTtlMs?: number;
  readonly newOrderTimeoutMs?: number;
  readonly indexLiveMs?: number | null;
  readonly indexHoldMs?: number;
  readonly indexRolloverBytes?: number | null;
  readonly sessionRecheckMs?: number;
  readonly trustProxy?: readonly string[];
  readonly loginThrottleEntries?: number;
  readonly minFreeBytes?: number;
  readonly metricsToken?: string | null;
  readonly seedDemo?: Config['seedDemo'] | boolean;
  readonly importFiles?: readonly string[];
  readonly corsOrigin?: string;
  readonly compactDebounceMs?: number;
  readonly compactMaxDebounceMs?: number;
  readonly compactMinBytes?: number;
  readonly clockSkewMs?: number;
  readonly offlineMaxMs?: number;
  readonly eventMaxBytes?: number;
  readonly orderMaxBytes?: number;
  readonly orderMaxEvents?: number;
  readonly userDailyEvents?: number;
  readonly userDailyBytes?: number;
  readonly name?: string;
  readonly quiet?: boolean;
}

const MB = 1024 * 1024;

export function resolveConfig(input: ConfigInput): Config {
  const dataDir = resolve(input.dataDir ?? 'data');
  const seed = input.seedDemo === true ? 'always' : input.seedDemo === false ? 'never' : (input.seedDemo ?? 'auto');
  const config: Config = {
    port: input.port ?? 8787,
    host: input.host ?? '127.0.0.1',
    dataDir,
    databaseUrl: input.databaseUrl || null,
    redisUrl: input.redisUrl || null,
    photoDir: resolve(input.photoDir ?? resolve(dataDir, 'photos')),
    pwaDir: resolve(input.pwaDir ?? DEFAULT_PWA_DIR),
    photoMaxBytes: input.photoMaxBytes ?? 10 * MB,
    photoQuotaPerDayBytes: input.photoQuotaPerDayBytes ?? 200 * MB,
    jsonMaxBytes: input.jsonMaxBytes ?? 5 * MB,
    wsMaxPayloadBytes: input.wsMaxPayloadBytes ?? 4 * MB,
    maxDocsPerSocket: input.maxDocsPerSocket ?? 1000,
    wsMessageRate: input.wsMessageRate ?? 500,
    wsPingIntervalMs: input.wsPingIntervalMs ?? 15_000,
    sessionTtlMs: input.sessionTtlMs ?? 14 * 24 * 60 * 60 * 1000,
    newOrderTimeoutMs: input.newOrderTimeoutMs ?? 30_000,
    indexLiveMs: input.indexLiveMs === undefined ? DEFAULT_INDEX_LIVE_MS : input.indexLiveMs,
    indexHoldMs: input.indexHoldMs ?? DEFAULT_INDEX_HOLD_MS,
    indexRolloverBytes: input.indexRolloverBytes === undefined ? DEFAULT_INDEX_ROLLOVER_BYTES : input.indexRolloverBytes,
    sessionRecheckMs: input.sessionRecheckMs ?? 1000,
    trustProxy: input.trustProxy ?? [],
    loginThrottleEntries: input.loginThrottleEntries ?? 20_000,
    minFreeBytes: input.minFreeBytes ?? 512 * MB,
    metricsToken: input.metricsToken || null,
    seedDemo: seed,
    importFiles: input.importFiles ?? [],
    corsOrigin: input.corsOrigin ?? '*',
    compactDebounceMs: input.compactDebounceMs ?? 2000,
    compactMaxDebounceMs: input.compactMaxDebounceMs ?? 10000,
    compactMinBytes: input.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES,
    clockSkewMs: input.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    offlineMaxMs: input.offlineMaxMs ?? DEFAULT_OFFLINE_MAX_MS,
    eventMaxBytes: input.eventMaxBytes ?? DEFAULT_WRITE_LIMITS.eventMaxBytes,
    orderMaxBytes: input.orderMaxBytes ?? DEFAULT_WRITE_LIMITS.orderMaxBytes,
    orderMaxEvents: input.orderMaxEvents ?? DEFAULT_WRITE_LIMITS.orderMaxEvents,
    userDailyEvents: input.userDailyEvents ?? DEFAULT_DAILY_LIMITS.events,
    userDailyBytes: input.userDailyBytes ?? DEFAULT_DAILY_LIMITS.bytes,
    name: input.name ?? 'lianxin',
    quiet: input.quiet ?? false,
  };
  if (config.redisUrl && !config.databaseUrl) {
    throw new Error('REDIS_URL needs DATABASE_URL: Redis only relays live documents between instances; they must share one PostgreSQL database');
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`PORT must be 0–65535, got ${config.port}`);
  if (!Number.isInteger(config.maxDocsPerSocket) || config.maxDocsPerSocket < 1) throw new Error(`MAX_DOCS_PER_SOCKET must be a whole number ≥ 1, got ${config.maxDocsPerSocket}`);
  if (!(config.wsMessageRate >= 1)) throw new Error(`WS_MESSAGE_RATE must be ≥ 1 message a second, got ${config.wsMessageRate}`);
  // The provider reconnects when it has heard nothing for 30 s.
  if (!(config.wsPingIntervalMs >= 100 && config.wsPingIntervalMs <= 25_000)) throw new Error(`WS_PING_INTERVAL must be 100ms–25s, got ${config.wsPingIntervalMs} ms`);
  if (!(config.indexHoldMs >= 100)) throw new Error(`INDEX_HOLD must be at least 100ms, got ${config.indexHoldMs} ms`);
  if (config.sessionRecheckMs < 100) throw new Error(`SESSION_RECHECK must be at least 100ms, got ${config.sessionRecheckMs} ms`);
  if (!Number.isInteger(config.loginThrottleEntries) || config.loginThrottleEntries < 10) throw new Error(`LOGIN_THROTTLE_ENTRIES must be a whole number of at least 10`);
  if (config.metricsToken !== null && config.metricsToken.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  for (const entry of config.trustProxy) {
    if (!isAddressOrRange(entry)) throw new Error(`TRUST_PROXY: ${entry} is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1)`);
  }
  for (const [name, value] of [
    ['EVENT_MAX_BYTES', config.eventMaxBytes],
    ['ORDER_MAX_BYTES', config.orderMaxBytes],
    ['ORDER_MAX_EVENTS', config.orderMaxEvents],
    ['USER_DAILY_EVENTS', config.userDailyEvents],
    ['USER_DAILY_BYTES', config.userDailyBytes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got ${value}`);
  }
  if (config.eventMaxBytes > config.orderMaxBytes) throw new Error('EVENT_MAX_BYTES must not be larger than ORDER_MAX_BYTES');
  return config;
}

/** "14d", "12h", "30m", "90s" or a number of seconds. */
/** Called-back orders stay in the live index docs this long (`--index-live`, issue 18); archived and merged ones leave at once. */
export const DEFAULT_INDEX_LIVE_MS = 30 * 86_400_000;

/** The indexer keeps an index doc open this long after its last write to it (`--index-hold`): a burst of writes opens it once. */
export const DEFAULT_INDEX_HOLD_MS = 30_000;

/** A live index doc is not rolled over below this many stored bytes (`--index-rollover`; bench/README.md, "Index docs in generations"). */
export const DEFAULT_INDEX_ROLLOVER_BYTES = 256 * 1024;

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(d|h|m|s|ms)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (use e.g. 14d, 12h, 30m, 90s)`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[(match[2] ?? 's') as 'd' | 'h' | 'm' | 's' | 'ms'];
  return Math.round(Number(match[1]) * unit);
}

/** A positive whole number. */
export function parseCount(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new Error(`not a positive whole number: ${text}`);
  return Number(text);
}

/** "10MB", "512KB", "1048576". */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 10MB, 512KB)`);
  const unit = { b: 1, kb: 1024, mb: MB, gb: 1024 * MB }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  return Math.round(Number(match[1]) * unit);
}

const FLAGS = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'DATA_DIR',
  '--database-url': 'DATABASE_URL',
  '--redis-url': 'REDIS_URL',
  '--photo-dir': 'PHOTO_DIR',
  '--pwa-dir': 'PWA_DIR',
  '--photo-max-bytes': 'PHOTO_MAX_BYTES',
  '--photo-quota-per-day': 'PHOTO_QUOTA_PER_DAY',
  '--json-max-bytes': 'JSON_MAX_BYTES',
  '--ws-max-payload': 'WS_MAX_PAYLOAD',
  '--max-docs-per-socket': 'MAX_DOCS_PER_SOCKET',
  '--ws-message-rate': 'WS_MESSAGE_RATE',
  '--ws-ping-interval': 'WS_PING_INTERVAL',
  '--session-ttl': 'SESSION_TTL',
  '--new-order-timeout': 'NEW_ORDER_TIMEOUT',
  '--index-live': 'INDEX_LIVE',
  '--index-hold': 'INDEX_HOLD',
  '--index-rollover': 'INDEX_ROLLOVER',
  '--session-recheck': 'SESSION_RECHECK',
  '--trust-proxy': 'TRUST_PROXY',
  '--login-throttle-entries': 'LOGIN_THROTTLE_ENTRIES',
  '--min-free-space': 'MIN_FREE_SPACE',
  '--metrics-token': 'METRICS_TOKEN',
  '--cors-origin': 'CORS_ORIGIN',
  '--compact-debounce': 'COMPACT_DEBOUNCE',
  '--compact-max-debounce': 'COMPACT_MAX_DEBOUNCE',
  '--compact-min-bytes': 'COMPACT_MIN_BYTES',
  '--clock-skew': 'CLOCK_SKEW',
  '--offline-max': 'OFFLINE_MAX',
  '--event-max-bytes': 'EVENT_MAX_BYTES',
  '--order-max-bytes': 'ORDER_MAX_BYTES',
  '--order-max-events': 'ORDER_MAX_EVENTS',
  '--user-daily-events': 'USER_DAILY_EVENTS',
  '--user-daily-bytes': 'USER_DAILY_BYTES',
  '--name': 'INSTANCE_NAME',
} as const;

export const USAGE = `Usage: node --import tsx server/main.ts [options]

  --port N               PORT             listen port (default 8787; 0 picks a free one)
  --host H               HOST             listen address (default 127.0.0.1)
  --data-dir DIR         DATA_DIR         data folder: SQLite file and photos (default ./data)
  --database-url URL     DATABASE_URL     PostgreSQL instead of SQLite
  --redis-url URL        REDIS_URL        share live documents between instances (needs DATABASE_URL)
  --photo-dir DIR        PHOTO_DIR        photo files (default DATA_DIR/photos)
  --pwa-dir DIR          PWA_DIR          the built field PWA, served at / (default dist/pwa)
  --photo-max-bytes N    PHOTO_MAX_BYTES  largest photo accepted (default 10MB)
  --photo-quota-per-day N PHOTO_QUOTA_PER_DAY new photo bytes one user may store in 24 hours (default 200MB)
  --json-max-bytes N     JSON_MAX_BYTES   largest JSON body (default 5MB)
  --ws-max-payload N     WS_MAX_PAYLOAD   largest WebSocket message (default 4MB)
  --max-docs-per-socket N
                         MAX_DOCS_PER_SOCKET
                                          documents one WebSocket may have open at once (default 1000)
  --ws-message-rate N    WS_MESSAGE_RATE  messages a second one WebSocket may send, in bursts of 5 s' worth (default 500)
  --ws-ping-interval T   WS_PING_INTERVAL ping every WebSocket this often (default 15s)
  --session-ttl T        SESSION_TTL      sessions expire after this long unused (default 14d)
  --new-order-timeout T  NEW_ORDER_TIMEOUT close a new order's channel not created within this (default 30s)
  --index-live T|off     INDEX_LIVE       called-back orders leave the live index docs this long after closing, archived and merged at once, for monthly archive docs (default 30d; off: never)
  --index-hold T         INDEX_HOLD       keep an index doc open this long after the indexer's last write to it (default 30s)
  --index-rollover N|off INDEX_ROLLOVER   start a live index doc's next generation once its folded state passes this and 2x its entries (default 256KB; off: never)
  --session-recheck T    SESSION_RECHECK  re-read held sessions from the store this often (default 1s)
  --trust-proxy LIST     TRUST_PROXY      proxies whose X-Forwarded-For is believed: IPs or CIDR, comma-separated
  --login-throttle-entries N LOGIN_THROTTLE_ENTRIES  entries per login-throttle table (default 20000)
  --min-free-space N     MIN_FREE_SPACE   /healthz is 503 below this much free disk (default 512MB)
  --metrics-token T      METRICS_TOKEN    bearer token for /metrics (without it /metrics answers 403)
  --cors-origin O        CORS_ORIGIN      Access-Control-Allow-Origin (default *)
  --compact-debounce T   COMPACT_DEBOUNCE fold a document's log this long after its last change (default 2s)
  --compact-max-debounce T
                         COMPACT_MAX_DEBOUNCE
                                          … and at least this often while it keeps changing (default 10s)
  --compact-min-bytes N  COMPACT_MIN_BYTES fold a log only once it holds this much (index docs: 4x), or a quarter of the snapshot (default 16KB)
  --clock-skew T         CLOCK_SKEW       how far a device clock may be off and its events believed (default 5m)
  --offline-max T        OFFLINE_MAX      longest a device may keep work unsynced across a sign-in (default 30d)
  --event-max-bytes N    EVENT_MAX_BYTES  largest event or field report, as JSON (default 64KB)
  --order-max-bytes N    ORDER_MAX_BYTES  largest order the server stores (default 2MB)
  --order-max-events N   ORDER_MAX_EVENTS most events in one order (default 1000)
  --user-daily-events N  USER_DAILY_EVENTS most events one user writes in 24 hours (default 5000)
  --user-daily-bytes N   USER_DAILY_BYTES most bytes one user writes in 24 hours (default 20MB)
  --name NAME            INSTANCE_NAME    name in logs and Redis (default lianxin)
  --seed-demo            SEED_DEMO=always seed the demo organisation, users and orders
  --no-seed-demo         SEED_DEMO=never  never seed (default: seed when there are no users)
  --import FILE                           import org tree and users (JSON or CSV) before listening
  --quiet                                 no info logs
`;

/** Flags and environment variables to a config input. */
export function configFromArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigInput {
  const values: Record<string, string | undefined> = { ...env };
  const imports: string[] = [];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--seed-demo') values.SEED_DEMO = 'always';
    else if (flag === '--no-seed-demo') values.SEED_DEMO = 'never';
    else if (flag === '--quiet') quiet = true;
    else if (flag === '--import') imports.push(inline ?? argv[++i] ?? '');
    else if (flag in FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      values[FLAGS[flag as keyof typeof FLAGS]] = value;
    } else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${arg}\n\n${USAGE}`);
  }
  const num = (name: string, parse: (s: string) => number) => (values[name] ? parse(values[name]) : undefined);
  const seed = values.SEED_DEMO;
  if (seed !== undefined && seed !== 'auto' && seed !== 'always' && seed !== 'never') throw new Error(`SEED_DEMO must be auto, always or never`);
  return {
    port: num('PORT', (s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new Error(`PORT must be a number, got ${s}`);
      return n;
    }),
    host: values.HOST,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL ?? null,
    redisUrl: values.REDIS_URL ?? null,
    photoDir: values.PHOTO_DIR,
    pwaDir: values.PWA_DIR,
    photoMaxBytes: num('PHOTO_MAX_BYTES', parseBytes),
    photoQuotaPerDayBytes: num('PHOTO_QUOTA_PER_DAY', parseBytes),
    jsonMaxBytes: num('JSON_MAX_BYTES', parseBytes),
    wsMaxPayloadBytes: num('WS_MAX_PAYLOAD', parseBytes),
    maxDocsPerSocket: num('MAX_DOCS_PER_SOCKET', parseCount),
    wsMessageRate: num('WS_MESSAGE_RATE', parseCount),
    wsPingIntervalMs: num('WS_PING_INTERVAL', parseDuration),
    sessionTtlMs: num('SESSION_TTL', parseDuration),
    newOrderTimeoutMs: num('NEW_ORDER_TIMEOUT', parseDuration),
    indexLiveMs: values.INDEX_LIVE?.trim() === 'off' ? null : num('INDEX_LIVE', parseDuration),
    indexHoldMs: num('INDEX_HOLD', parseDuration),
    indexRolloverBytes: values.INDEX_ROLLOVER?.trim() === 'off' ? null : num('INDEX_ROLLOVER', parseBytes),
    sessionRecheckMs: num('SESSION_RECHECK', parseDuration),
    trustProxy: values.TRUST_PROXY
      ?.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    loginThrottleEntries: num('LOGIN_THROTTLE_ENTRIES', (s) => Number(s)),
    minFreeBytes: num('MIN_FREE_SPACE', parseBytes),
    metricsToken: values.METRICS_TOKEN ?? null,
    corsOrigin: values.CORS_ORIGIN,
    compactDebounceMs: num('COMPACT_DEBOUNCE', parseDuration),
    compactMaxDebounceMs: num('COMPACT_MAX_DEBOUNCE', parseDuration),
    compactMinBytes: num('COMPACT_MIN_BYTES', parseBytes),
    clockSkewMs: num('CLOCK_SKEW', parseDuration),
    offlineMaxMs: num('OFFLINE_MAX', parseDuration),
    eventMaxBytes: num('EVENT_MAX_BYTES', parseBytes),
    orderMaxBytes: num('ORDER_MAX_BYTES', parseBytes),
    orderMaxEvents: num('ORDER_MAX_EVENTS', parseCount),
    userDailyEvents: num('USER_DAILY_EVENTS', parseCount),
    userDailyBytes: num('USER_DAILY_BYTES', parseBytes),
    name: values.INSTANCE_NAME,
    seedDemo: seed,
    importFiles: imports,
    quiet,
  };
}

/** "10.0.0.5", "::1" or "10.0.0.0/8", "fd00::/8". */
export function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}
