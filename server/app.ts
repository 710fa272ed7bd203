/**
 * The server, wired: one HTTP server on one port for the JSON API and the
 * Hocuspocus WebSocket. Each concern is its own module; this file only
 * builds them and connects them.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { WebSocketServer, type RawData } from 'ws';
import { Sessions } from './auth/sessions.ts';
import { NO_BUS, RedisSessionBus } from './auth/session-bus.ts';
import { resolveConfig, type Config, type ConfigInput } from './config.ts';
import { HttpError, Router, sendError, sendJson } from './http/http.ts';
import { serverRoutes } from './http/routes.ts';
import { ClientAddresses } from './http/client-address.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { errorMessage, log, setQuiet } from './log.ts';
import { Metrics } from './metrics.ts';
import { Directory } from './org/directory.ts';
import { importFiles } from './org/import.ts';
import { PhotoStore } from './photos/photo-store.ts';
import { isServerPath, StaticFiles } from './http/app-files.ts';
import { seedIfNeeded, type SeedOptions, type SeedReport } from './seed.ts';
import type { Services } from './services.ts';
import { PostgresStore } from './store/postgres.ts';
import { SqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';
import { monitorStore, StorageHealth, StorageProbe } from './store/health.ts';
import { AccessControl } from './sync/access.ts';
import { CatchUp } from './sync/catch-up.ts';
import { IndexGenerations } from './sync/index-generations.ts';
import { DurableLog } from './sync/durable.ts';
import { FoldThread } from './sync/fold-thread.ts';
import { SessionChannels } from './sync/session-channels.ts';
import { Indexer } from './sync/indexer.ts';
import { Reindex } from './sync/reindex.ts';
import { Duplicates } from './duplicates/duplicates.ts';
import { RedisRelay } from './sync/relay.ts';
import { classifyMessage, gateLimits, InboundGate, PING_MESSAGE, SocketLimits, SocketState } from './sync/socket-limits.ts';
import { batchSends } from './sync/send-batches.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from '#shared/web/security-headers.ts';
import { ReceiptSigner } from './sync/receipt-signer.ts';

/** How long an idle HTTP connection is kept open: longer than the idle timeout of the proxies in front of it. */
const KEEP_ALIVE_MS = 65_000;

export interface StartOptions extends ConfigInput {
  readonly port: number;
  readonly host?: string;
  readonly dataDir: string;
  /** What the demo seed generates (tests and benchmarks: its size). */
  readonly seedOptions?: SeedOptions;
}

export interface RunningServer {
  readonly url: string;
  readonly config: Config;
  /** Demo accounts seeded on this start, if any. */
  readonly seeded: SeedReport | null;
  close(): Promise<void>;
}

export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl);
  await mkdir(config.dataDir, { recursive: true });
  return new SqliteStore(join(config.dataDir, 'lianxin.sqlite'));
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const config = resolveConfig(options);
  setQuiet(config.quiet);
  await mkdir(config.photoDir, { recursive: true });
  // Every store call's storage errors (disk full, I/O, corruption) are filed for /healthz.
  const health = new StorageHealth();
  const store = monitorStore(await openStore(config), health);
  try {
    if (config.importFiles.length > 0) {
      const counts = await importFiles(store, config.importFiles);
      log.info('imported', { units: counts.units, users: counts.users });
    }
    const seeded = await seedIfNeeded(store, config.seedDemo, { now: Date.now(), indexLiveMs: config.indexLiveMs, ...options.seedOptions }, new PhotoStore(config.photoDir, health));
    return await listen(config, store, health, seeded);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function listen(config: Config, store: Store, health: StorageHealth, seeded: SeedReport | null): Promise<RunningServer> {
  const metrics = new Metrics();
  const directory = new Directory(store);
  await directory.refresh();
  directory.start(5000);
  // Sessions ended on one instance are announced to the others on Redis (docs/SERVER.md, "Sessions").
  const bus = config.redisUrl ? new RedisSessionBus(config.redisUrl, `${config.name}-${process.pid}-${Date.now()}`) : NO_BUS;
  const sessions = new Sessions(store, { ttlMs: config.sessionTtlMs, recheckMs: config.sessionRecheckMs, bus });
  sessions.start();
  const photos = new PhotoStore(config.photoDir, health);
  const storage = new StorageProbe({ store, health, dataDir: config.databaseUrl ? null : config.dataDir, photoDir: config.photoDir, minFreeBytes: config.minFreeBytes });

  // The indexer needs the Hocuspocus instance, which needs the extensions that
  // notify the indexer: tie the knot through this holder.
  let indexer: Indexer | null = null;
  // Several instances: a live relay through Redis, and catching up from the store when it was down.
  const catchUp = config.redisUrl ? new CatchUp({ store, metrics, reindex: (id) => indexer?.touch(id) }) : null;
  const relay = config.redisUrl && catchUp ? new RedisRelay({ url: config.redisUrl, identifier: `${config.name}-${process.pid}-${Date.now()}`, catchUp }) : null;
  // Folds of a doc's log into its snapshot run in a worker thread, not in one long turn of the event loop.
  const folds = new FoldThread();
  const generations = new IndexGenerations(store);
  const durable = new DurableLog({
    store,
    fold: (state) => folds.merge(state),
    soleWriter: !config.redisUrl,
    receipts: await ReceiptSigner.open(store),
    directory,
    metrics,
    health,
    sessionLive: (tokenHash) => sessions.isLive(tokenHash),
    compactMinBytes: config.compactMinBytes,
    rules: {
      clockSkewMs: config.clockSkewMs,
      offlineMaxMs: config.offlineMaxMs,
      limits: { eventMaxBytes: config.eventMaxBytes, orderMaxBytes: config.orderMaxBytes, orderMaxEvents: config.orderMaxEvents },
      daily: { events: config.userDailyEvents, bytes: config.userDailyBytes },
    },
    onOrderChanged: (id) => {
      indexer?.touch(id);
      catchUp?.orderChanged(id);
    },
    onOrderRelayed: (id) => indexer?.recheck(id),
    onIndexStored: (name, bytes) => {
      indexer?.considerRollover(name, bytes).catch((error: unknown) => log.error('index_rollover_failed', { doc: name, error: errorMessage(error) }));
    },
    deletedGenerationSuccessor: (name) => generations.successorOfDeleted(name),
  });
  const access = new AccessControl({ sessions, directory, store, metrics, newOrderTimeoutMs: config.newOrderTimeoutMs });
  const extensions: Extension[] = [access, new SessionChannels(sessions), durable, new SocketLimits({ maxDocs: config.maxDocsPerSocket, metrics })];
  if (catchUp && relay) extensions.push(catchUp, relay);
  const hocuspocus = new Hocuspocus({
    name: config.name,
    quiet: true,
    debounce: config.compactDebounceMs,
    maxDebounce: config.compactMaxDebounceMs,
    // Hocuspocus resets a socket that has more than this many documents waiting
    // for authentication (100 by default); a device opening its open orders at
    // once (a street has hundreds) would be reset and reconnect for ever. Past
    // MAX_DOCS_PER_SOCKET, SocketLimits refuses documents by name as they come,
    // so few wait here; documents waiting without an auth message stay bounded
    // by maxUnauthenticatedQueueMessages.
    maxPendingDocuments: Math.max(2000, 2 * config.maxDocsPerSocket),
    extensions,
  });
  const duplicates = new Duplicates({ store });
  // Without Redis this is the only instance, so its indexer is the only writer of order rows.
  indexer = new Indexer({
    hocuspocus,
    store,
    directory,
    summarize: summarizeOrder,
    duplicates,
    liveMs: config.indexLiveMs,
    holdMs: config.indexHoldMs,
    metrics,
    soleRowWriter: !config.redisUrl,
    generations,
    rolloverMinBytes: config.indexRolloverBytes,
  });

  const services: Services = {
    config,
    store,
    sessions,
    loginThrottle: new LoginThrottle(config.loginThrottleEntries),
    clientAddresses: new ClientAddresses(config.trustProxy),
    directory,
    metrics,
    hocuspocus,
    indexer,
    duplicates,
    relay,
    photos,
    health,
    storage,
    startedAt: Date.now(),
  };
  const router = new Router().add(...serverRoutes(services));

  const app = new StaticFiles(config.pwaDir);
  const server = createServer((req, res) => {
    handleHttp(router, app, config, metrics, req, res).catch((error: unknown) => {
      log.error('http_failed', { error: errorMessage(error) });
      res.destroy();
    });
  });
  // An idle keep-alive connection is closed by the server only after the client or proxy in front of it has
  // stopped reusing it (nginx's upstream keepalive and most load balancers idle out at 60 s): with Node's 5 s, a
  // request sent on a connection the server was closing failed with "other side closed" (seen in sessions.test
  // under load; behind a proxy it is a 502). The headers' timeout stays above it, as Node requires.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.wsMaxPayloadBytes });
  const limits = gateLimits(config.wsMessageRate, config.wsMaxPayloadBytes);
  server.on('upgrade', (req, socket, head) => {
    let request: Request;
    try {
      request = new Request(`http://localhost${req.url ?? '/'}`, { headers: nodeHeaders(req) });
    } catch {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      batchSends(ws, socket);
      const client = hocuspocus.handleConnection(ws, request, { socket: new SocketState() });
      // Awareness and the answers to our pings stop here; both are signs of life.
      const gate = new InboundGate(
        ws,
        limits,
        (data) => {
          const kind = classifyMessage(data);
          if (kind === 'other') {
            client.handleMessage(data);
            return;
          }
          client.lastMessageReceivedAt = Date.now();
          if (kind === 'awareness') metrics.awarenessDropped += 1;
        },
        () => {
          metrics.socketsThrottled += 1;
        },
      );
      ws.on('message', (data: RawData) => gate.accept(toBytes(data)));
      ws.on('close', (code: number, reason: Buffer) => {
        gate.close();
        client.handleClose({ code, reason: reason.toString() });
      });
      ws.on('error', (error: Error) => log.warn('websocket_error', { error: error.message }));
    });
  });
  // No awareness reaches the clients any more, and it was what told an idle
  // provider the connection was alive: it reconnects after 30 s without a message.
  const pinger = setInterval(() => {
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(PING_MESSAGE);
  }, config.wsPingIntervalMs);
  pinger.unref();

  const sweeper = setInterval(() => {
    sessions.sweep().catch((error: unknown) => log.error('session_sweep_failed', { error: errorMessage(error) }));
  }, 60 * 60 * 1000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info('listening', { url, store: store.kind, redis: config.redisUrl !== null });
  // The candidates of the last 30 days, read from storage once the server serves (issue 18: 11 s for 3,500 orders
  // under load when it ran before listening); an intake's duplicate lookup waits for it, nothing else does.
  void duplicates.warm();
  // Entries an older server wrote are written again in the background (SUMMARY_VERSION).
  // With archives on, the same pass moves orders whose time in the live index ran out, hourly.
  const reindex = new Reindex({ store, indexer, liveMs: config.indexLiveMs, everyMs: config.indexLiveMs === null ? null : Math.min(config.indexLiveMs, 60 * 60 * 1000) });
  reindex.start();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      directory.stop();
      await reindex.stop();
      clearInterval(sweeper);
      clearInterval(pinger);
      await sessions.stop();
      server.close();
      for (const ws of wss.clients) ws.terminate();
      hocuspocus.closeConnections();
      await indexer.close();
      await durable.flush();
      await Promise.all(
        [...hocuspocus.documents.values()].map((document) =>
          hocuspocus.storeDocumentHooks(
            document,
            {
              instance: hocuspocus,
              clientsCount: 0,
              document,
              documentName: document.name,
              lastContext: {},
              lastTransactionOrigin: { source: 'local' },
            },
            true,
          ),
        ),
      ).catch((error: unknown) => log.error('final_store_failed', { error: errorMessage(error) }));
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
      server.closeAllConnections();
      await folds.close();
      await store.close();
    })();
    return closing;
  };
  return { url, config, seeded, close };
}

async function handleHttp(router: Router, app: StaticFiles, config: Config, metrics: Metrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.on('finish', () => metrics.http.inc(String(res.statusCode)));
  // Every response: no sniffing, no framing, no referrer; the app's files replace the CSP with the app's own.
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
  res.setHeader('Access-Control-Allow-Origin', config.corsOrigin);
  res.setHeader('Access-Control-Expose-Headers', 'ETag, X-Content-SHA256, Retry-After');
  if (config.corsOrigin !== '*') res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    sendError(res, new HttpError(400, 'bad_url', 'unreadable URL'));
    return;
  }
  const found = router.match(req.method ?? 'GET', url.pathname);
  if (!found && (req.method === 'GET' || req.method === 'HEAD') && !isServerPath(url.pathname)) {
    req.resume();
    await app.serve(req, res, url.pathname);
    return;
  }
  if (!found) {
    req.resume();
    sendJson(res, 404, { error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}` } });
    return;
  }
  if ('allowed' in found) {
    req.resume();
    sendJson(res, 405, { error: { code: 'method_not_allowed', message: `use ${found.allowed.join(', ')}` } }, { Allow: found.allowed.join(', ') });
    return;
  }
  try {
    await found.handler({ req, res, url, params: found.params });
  } catch (error) {
    if (error instanceof HttpError) {
      sendError(res, error);
      return;
    }
    log.error('http_error', { method: req.method, path: url.pathname, error: errorMessage(error) });
    sendError(res, new HttpError(500, 'internal', 'the server failed; nothing was changed unless said otherwise'));
  }
}

function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  return headers;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
