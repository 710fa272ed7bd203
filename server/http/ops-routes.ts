/** GET /healthz (JSON; 503 when the store does not answer) · GET /metrics (Prometheus text). */
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
          sendJson(res, 503, { status: 'unavailable', store: services.store.kind, error: errorMessage(error) });
          return;
        }
        sendJson(res, 200, {
          status: 'ok',
          store: services.store.kind,
          storeLatencyMs: Math.round((performance.now() - started) * 1000) / 1000,
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
