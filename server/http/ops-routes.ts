/**
 * GET /healthz — JSON; 503 when the store does not answer or the storage is
 * unhealthy: a probe write fails, a folder is below MIN_FREE_SPACE, writes are
 * failing, or stored data turned out unreadable. `problems` says which.
 * GET /metrics — Prometheus text, only with `Authorization: Bearer <METRICS_TOKEN>`;
 * without METRICS_TOKEN configured it is closed (403).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Services } from '../services.ts';
import { errorMessage } from '../log.ts';
import { bearerToken, HttpError, sendJson, type Route } from './http.ts';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The scraper's token, compared in constant time (as digests, so lengths do not leak either). */
function requireMetricsToken(expected: string | null, given: string | null): void {
  if (expected === null) throw new HttpError(403, 'metrics_disabled', 'metrics are off: set METRICS_TOKEN and send Authorization: Bearer <token>');
  if (given === null || !timingSafeEqual(digest(given), digest(expected))) {
    throw new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <METRICS_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } });
  }
}

export function opsRoutes(services: Services): Route[] {
  return [
    {
      method: ['GET', 'HEAD'],
      path: '/healthz',
      handler: async ({ res }) => {
        const started = performance.now();
        try {
          await services.store.ping();
        } catch (error) {
          sendJson(res, 503, { status: 'unavailable', store: services.store.kind, problems: [`the store does not answer: ${errorMessage(error)}`] });
          return;
        }
        const storeLatencyMs = Math.round((performance.now() - started) * 1000) / 1000;
        const storage = await services.storage.report();
        sendJson(res, storage.ok ? 200 : 503, {
          status: storage.ok ? 'ok' : 'unhealthy',
          problems: storage.problems,
          store: services.store.kind,
          storeLatencyMs,
          storage: {
            writable: storage.writable,
            freeBytes: storage.freeBytes,
            minFreeBytes: storage.minFreeBytes,
            lastWriteError: storage.lastWriteError,
            lastReadError: storage.lastReadError,
            corrupt: storage.corrupt,
          },
          redis: services.config.redisUrl !== null,
          // Down, every instance still serves and acknowledges; live documents catch up from the store when it is back.
          relay: services.relay?.status() ?? null,
          documents: services.hocuspocus.getDocumentsCount(),
          connections: services.hocuspocus.getConnectionsCount(),
          uptimeSeconds: Math.round((Date.now() - services.startedAt) / 1000),
          serverTime: Date.now(),
        });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async ({ req, res }) => {
        requireMetricsToken(services.config.metricsToken, bearerToken(req));
        const sessions = services.sessions.stats();
        const body = services.metrics.render({
          connections: services.hocuspocus.getConnectionsCount(),
          documents: services.hocuspocus.getDocumentsCount(),
          photos: await services.store.countPhotos(),
          relay: services.relay?.status() ?? null,
          sessionsHeld: sessions.held,
          sessionChannels: sessions.channels,
          sessionsEnded: sessions.ended,
          loginThrottleEntries: services.loginThrottle.size,
          duplicatesWarmed: services.duplicates.warmed,
        });
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(body);
      },
    },
  ];
}
