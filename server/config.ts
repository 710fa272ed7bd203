/**
 * Configuration from flags and environment variables (flags win). Every
 * setting is listed in docs/SERVER.md.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_DAILY_LIMITS, DEFAULT_OFFLINE_MAX_MS, DEFAULT_WRITE_LIMITS } from '#shared/sync/guard.ts';

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
  readonly jsonMaxBytes: number;
  readonly wsMaxPayloadBytes: number;
  readonly sessionTtlMs: number;
  /** 'auto': seed the demo data when the store has no users. */
  readonly seedDemo: 'auto' | 'always' | 'never';
  /** JSON or CSV files to import (org tree and users) before listening. */
  readonly importFiles: readonly string[];
  readonly corsOrigin: string;
  /** How long after the last change a document's log is folded into its snapshot. */
  readonly compactDebounceMs: number;
  readonly compactMaxDebounceMs: number;
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
  readonly jsonMaxBytes?: number;
  readonly wsMaxPayloadBytes?: number;
  readonly sessionTtlMs?: number;
  readonly seedDemo?: Config['seedDemo'] | boolean;
  readonly importFiles?: readonly string[];
  readonly corsOrigin?: string;
  readonly compactDebounceMs?: number;
  readonly compactMaxDebounceMs?: number;
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
    jsonMaxBytes: input.jsonMaxBytes ?? 5 * MB,
    wsMaxPayloadBytes: input.wsMaxPayloadBytes ?? 4 * MB,
    sessionTtlMs: input.sessionTtlMs ?? 14 * 24 * 60 * 60 * 1000,
    seedDemo: seed,
    importFiles: input.importFiles ?? [],
    corsOrigin: input.corsOrigin ?? '*',
    compactDebounceMs: input.compactDebounceMs ?? 2000,
    compactMaxDebounceMs: input.compactMaxDebounceMs ?? 10000,
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
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(d|h|m|s|ms)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (use e.g. 14d, 12h, 30m, 90s)`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[(match[2] ?? 's') as 'd' | 'h' | 'm' | 's' | 'ms'];
  return Math.round(Number(match[1]) * unit);
}

/** "10MB", "512KB", "1048576". */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 10MB, 512KB)`);
  const unit = { b: 1, kb: 1024, mb: MB, gb: 1024 * MB }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  return Math.round(Number(match[1]) * unit);
}

/** A whole number, for the variable `name`. */
const parseCount = (name: string) => (text: string): number => {
  const n = Number(text.trim());
  if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number, got ${text}`);
  return n;
};

const FLAGS = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'DATA_DIR',
  '--database-url': 'DATABASE_URL',
  '--redis-url': 'REDIS_URL',
  '--photo-dir': 'PHOTO_DIR',
  '--pwa-dir': 'PWA_DIR',
  '--photo-max-bytes': 'PHOTO_MAX_BYTES',
  '--json-max-bytes': 'JSON_MAX_BYTES',
  '--ws-max-payload': 'WS_MAX_PAYLOAD',
  '--session-ttl': 'SESSION_TTL',
  '--cors-origin': 'CORS_ORIGIN',
  '--compact-debounce': 'COMPACT_DEBOUNCE',
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
  --json-max-bytes N     JSON_MAX_BYTES   largest JSON body (default 5MB)
  --ws-max-payload N     WS_MAX_PAYLOAD   largest WebSocket message (default 4MB)
  --session-ttl T        SESSION_TTL      sessions expire after this long unused (default 14d)
  --cors-origin O        CORS_ORIGIN      Access-Control-Allow-Origin (default *)
  --compact-debounce T   COMPACT_DEBOUNCE fold a document's log this long after its last change (default 2s)
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
    jsonMaxBytes: num('JSON_MAX_BYTES', parseBytes),
    wsMaxPayloadBytes: num('WS_MAX_PAYLOAD', parseBytes),
    sessionTtlMs: num('SESSION_TTL', parseDuration),
    corsOrigin: values.CORS_ORIGIN,
    compactDebounceMs: num('COMPACT_DEBOUNCE', parseDuration),
    clockSkewMs: num('CLOCK_SKEW', parseDuration),
    offlineMaxMs: num('OFFLINE_MAX', parseDuration),
    eventMaxBytes: num('EVENT_MAX_BYTES', parseBytes),
    orderMaxBytes: num('ORDER_MAX_BYTES', parseBytes),
    orderMaxEvents: num('ORDER_MAX_EVENTS', parseCount('ORDER_MAX_EVENTS')),
    userDailyEvents: num('USER_DAILY_EVENTS', parseCount('USER_DAILY_EVENTS')),
    userDailyBytes: num('USER_DAILY_BYTES', parseBytes),
    name: values.INSTANCE_NAME,
    seedDemo: seed,
    importFiles: imports,
    quiet,
  };
}
