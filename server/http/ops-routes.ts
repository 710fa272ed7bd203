/**
 * GET /healthz — JSON; 503 when the store does not answer or the storage is
 * unhealthy: a probe write fails, a folder is below MIN_FREE_SPACE, writes are
 * failing, or stored data turned out unreadable. `problems` says which.
 * GET /metrics — Prometheus text.
 */
import type { Services } from '../services.ts';
import { errorMessage } from '../log.ts';
import { sendJson, type Route } from './http.ts';

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
      handler: async ({ res }) => {
        const sessions = services.sessions.stats();
        const body = services.metrics.render({
          connections: services.hocuspocus.getConnectionsCount(),
          documents: services.hocuspocus.getDocumentsCount(),
          photos: await services.store.countPhotos(),
          sessionsHeld: sessions.held,
          sessionChannels: sessions.channels,
          sessionsEnded: sessions.ended,
          loginThrottleEntries: services.loginThrottle.size,
        });
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(body);
      },
    },
  ];
}
