/**
 * Every route the server answers refuses a request that carries no session, or a session that has ended, before it
 * reads the body or looks anything up — except the few that are public on purpose. The list is the router's own
 * (`serverRoutes`), so a route added without `requireSession` fails here, whoever forgets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverRoutes } from '../../server/http/routes.ts';
import type { Services } from '../../server/services.ts';
import { PASSWORD, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

/** Public on purpose: signing in, the load balancer's health check, and /metrics (its own bearer token: 401 or 404). */
const PUBLIC = new Set(['POST /api/login', 'GET /healthz', 'HEAD /healthz', 'GET /metrics']);

/**
 * The route builders only keep `services` for their handlers, which this test never calls: a stand-in that answers
 * every property with itself is enough to list them.
 */
function listingServices(): Services {
  const anything: object = new Proxy(function () {}, { get: () => anything, apply: () => anything });
  return anything as Services;
}

const routes = serverRoutes(listingServices()).flatMap((route) =>
  (typeof route.method === 'string' ? [route.method] : [...route.method]).map((method) => ({
    method,
    path: route.path,
    // A parameter filled with something of its usual shape, so a route that checks the shape first would still be
    // asked; the order of checks is the point (a 400 or 404 before the 401 tells a stranger what exists).
    url: route.path.replace(/:sha256/g, 'a'.repeat(64)).replace(/:file/g, '2612070001.json').replace(/:[a-zA-Z]+/g, 'x1'),
  })),
);

let server: ServerProcess;
let endedToken: string;

beforeAll(async () => {
  server = await startServer();
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: users.clerk.id, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  endedToken = ((await login.json()) as { token: string }).token;
  const logout = await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${endedToken}` } });
  expect(logout.ok).toBe(true);
}, 60_000);

afterAll(() => stopAll(server ? [server.dataDir] : []));

describe('every route without a session', () => {
  it('lists the routes it checks (the list is the router’s, not a copy)', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/docs');
  });

  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    if (PUBLIC.has(name)) continue;
    it(`${name} answers 401 with no token and with an ended one`, async () => {
      const asked: Record<string, string>[] = [{}, { authorization: `Bearer ${endedToken}` }];
      for (const headers of asked) {
        const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : JSON.stringify({});
        const res = await fetch(`${server.url}${route.url}`, { method: route.method, headers: { ...headers, 'content-type': 'application/json' }, body });
        expect(res.status, `${name} ${JSON.stringify(headers)}`).toBe(401);
        await res.arrayBuffer();
      }
    });
  }
});
