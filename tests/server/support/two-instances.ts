/**
 * Two server instances, `a` and `b`, on one Redis and one PostgreSQL, each
 * started from the machine's binaries for the describe block and stopped after
 * it: the fixture of the scale-out tests (scale-out, sessions-scale-out,
 * redis-outage, index-race). `a` imports the test organisation; `b` shares it
 * through the store. On request, `b` reaches Redis through a proxy the test
 * can cut or hold (`link`) and PostgreSQL through one it can slow (`slow`).
 * Without redis-server or PostgreSQL 15 the block is skipped, saying which.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { TestClient } from './client.ts';
import { missingBinaries, startPostgres, startProxy, startRedis, startSlowPostgresProxy, type Proxy, type RedisService, type Service, type SlowProxy } from './services.ts';
import { startServer, stopAll, type ServerProcess } from './server.ts';

export interface TwoInstancesOptions {
  /** Environment for both instances, beside DATABASE_URL, REDIS_URL and INSTANCE_NAME. */
  readonly env?: Readonly<Record<string, string>>;
  /** b's way to Redis through a proxy (`link`): cut, it alone loses Redis; held, it hears nothing with no outage. */
  readonly redisLinkForB?: boolean;
  /** b's way to PostgreSQL through a proxy that delays every chunk by what the test sets (`slow`; none at first). */
  readonly slowDatabaseForB?: boolean;
}

export interface TwoInstances {
  readonly redis: RedisService;
  readonly postgres: Service;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  /** b's Redis proxy (`redisLinkForB`). */
  readonly link: Proxy;
  /** b's PostgreSQL proxy (`slowDatabaseForB`). */
  readonly slow: SlowProxy;
  /** Clients closed after the block. */
  readonly clients: TestClient[];
  /** One more instance on the same PostgreSQL (and this Redis URL, by default), stopped after the block. */
  startInstance(name: string, env?: Readonly<Record<string, string>>): Promise<ServerProcess>;
  /** A proxy to this Redis (as `link` is for b), stopped after the block. */
  redisProxy(): Promise<Proxy>;
}

/** `describe` with the two instances started before its tests and stopped after them; skipped, saying why, without the binaries. */
export function describeTwoInstances(title: string, options: TwoInstancesOptions, body: (cluster: TwoInstances) => void): void {
  const missing = missingBinaries();
  if (missing) console.warn(`${title}: skipped: ${missing}`);
  describe.skipIf(missing !== null)(title, () => {
    let redis: RedisService | null = null;
    let postgres: Service | null = null;
    let a: ServerProcess | null = null;
    let b: ServerProcess | null = null;
    let link: Proxy | null = null;
    let slow: SlowProxy | null = null;
    const proxies: Proxy[] = [];
    const clients: TestClient[] = [];
    const dirs: string[] = [];
    const need = <T>(value: T | null, what: string): T => {
      if (value === null) throw new Error(`${what}: not started (see the describeTwoInstances options)`);
      return value;
    };
    const redisProxy = async (): Promise<Proxy> => {
      const proxy = await startProxy(need(redis, 'Redis'));
      proxies.push(proxy);
      return proxy;
    };
    const startInstance = async (name: string, env: Readonly<Record<string, string>> = {}): Promise<ServerProcess> => {
      const services = { DATABASE_URL: need(postgres, 'PostgreSQL').url, REDIS_URL: need(redis, 'Redis').url };
      const server = await startServer({ env: { ...services, ...options.env, ...env, INSTANCE_NAME: name }, importFixture: false });
      dirs.push(server.dataDir);
      return server;
    };
    const stop = async () => {
      for (const client of clients.splice(0)) client.close();
      await stopAll(dirs);
      await slow?.stop();
      for (const proxy of proxies.splice(0)) await proxy.stop();
      await Promise.all([redis?.stop(), postgres?.stop()]);
    };

    beforeAll(async () => {
      [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
      if (options.slowDatabaseForB) slow = await startSlowPostgresProxy(postgres);
      if (options.redisLinkForB) link = await redisProxy();
      a = await startServer({ env: { DATABASE_URL: postgres.url, REDIS_URL: redis.url, ...options.env, INSTANCE_NAME: 'a' } });
      dirs.push(a.dataDir);
      b = await startInstance('b', { ...(slow ? { DATABASE_URL: slow.url } : {}), ...(link ? { REDIS_URL: link.url } : {}) });
    }, 120_000);
    afterAll(stop);

    body({
      get redis() {
        return need(redis, 'Redis');
      },
      get postgres() {
        return need(postgres, 'PostgreSQL');
      },
      get a() {
        return need(a, 'instance a');
      },
      get b() {
        return need(b, 'instance b');
      },
      get link() {
        return need(link, 'b’s Redis proxy');
      },
      get slow() {
        return need(slow, 'b’s slow PostgreSQL proxy');
      },
      clients,
      startInstance,
      redisProxy,
    });
  });
}
