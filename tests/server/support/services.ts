/**
 * Throwaway Redis and PostgreSQL for the scale-out tests, started from the
 * machine's binaries in temporary folders on free ports. `available()` says
 * why not when a binary is missing, so the test can skip with that reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { tempDir } from './server.ts';
import { WAIT_MS } from '../../support/wait.ts';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
export const PG_BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export function missingBinaries(): string | null {
  const missing = [REDIS_SERVER, `${PG_BIN}/initdb`, `${PG_BIN}/pg_ctl`].filter((path) => !existsSync(path));
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (apt-get install redis-server postgresql)` : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment for Redis and PostgreSQL: without libfaketime. They stand
 * for other machines, with clocks of their own, when `npm run test:dates`
 * shifts this machine's clock (and redis-server does not start under it).
 */
function serviceEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('FAKETIME')) delete env[key];
  const preload = (env['LD_PRELOAD'] ?? '').split(/[:\s]+/).filter((lib) => lib && !/faketime/.test(lib));
  if (preload.length > 0) env['LD_PRELOAD'] = preload.join(':');
  else delete env['LD_PRELOAD'];
  return env;
}

export interface Service {
  readonly url: string;
  stop(): Promise<void>;
}

/** A Redis that a test can kill (as an outage would) and start again on the same port. */
export interface RedisService extends Service {
  readonly port: number;
  /** SIGKILL: gone at once, as after a crash or a lost machine; resolves once the process has exited. */
  kill(): Promise<void>;
  /** Start again on the same port (empty: no persistence), after `kill`. */
  restart(): Promise<void>;
}

export async function startRedis(): Promise<RedisService> {
  const port = await freePort();
  const dir = await tempDir('lianxin-redis-');
  let child: ChildProcess | null = await spawnRedis(port, dir);
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      child = await spawnRedis(port, dir);
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serviceEnv(),
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis did not start in ${WAIT_MS} ms; it printed:\n${out}`)), WAIT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis exited with ${code}:\n${out}`));
    });
  });
  return child;
}

/** A TCP proxy that can cut every connection through it, as a network partition would, and let them in again. */
export interface Proxy {
  readonly url: string;
  /** Close every connection through the proxy and refuse new ones. */
  cut(): void;
  restore(): void;
  /**
   * Keep every connection open but forward nothing, either way, until `release`:
   * the instance behind it hears nothing from the others and they nothing from it,
   * yet its Redis clients stay connected (no outage, no catch-up from the store).
   */
  hold(): void;
  /** Forward what was held, in order, and carry on. */
  release(): void;
  stop(): Promise<void>;
}

/** A proxy to a Redis service: give an instance `proxy.url` to partition it alone from Redis. */
export async function startProxy(target: RedisService): Promise<Proxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let open = true;
  /** While held: the chunks not yet forwarded, in arrival order. */
  let held: (() => void)[] | null = null;
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      const send = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (held) held.push(send);
      else send();
    });
  };
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, '127.0.0.1');
    const pair = [client, upstream];
    const close = () => {
      for (const socket of pair) {
        socket.destroy();
        sockets.delete(socket);
      }
    };
    for (const socket of pair) {
      sockets.add(socket);
      socket.on('error', close);
      socket.on('close', close);
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      open = true;
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const send of waiting) send();
    },
    stop: async () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** initdb refuses to run as root: run the cluster as the postgres user then. */
function asClusterUser(command: string, args: readonly string[]): { status: number | null; output: string } {
  const root = userInfo().uid === 0;
  const options = { encoding: 'utf8', env: serviceEnv() } as const;
  const result = root ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], options) : spawnSync(command, args, options);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A temporary folder the cluster's user owns. */
async function clusterDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  if (userInfo().uid === 0) {
    const pg = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pg.stdout.trim()), Number(gid.stdout.trim()));
  }
  return dir;
}

function initdb(data: string): void {
  const init = asClusterUser(`${PG_BIN}/initdb`, ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.output}`);
}

/**
 * Where `startPostgres` copies a new cluster from, when set: a cluster just made
 * by initdb and never started, made once for a whole test run
 * (tests/server/support/global-setup.ts). initdb takes seconds; copying its
 * result gives the same files in a fraction of one.
 */
export const PG_TEMPLATE_ENV = 'LIANXIN_PG_TEMPLATE';

/** A never-started cluster for `startPostgres` to copy; `remove` deletes it. */
export async function makePostgresTemplate(): Promise<{ readonly data: string; remove(): Promise<void> }> {
  const dir = await clusterDir('lianxin-pg-template-');
  const data = `${dir}/data`;
  initdb(data);
  return { data, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `statements`: load pg_stat_statements, so the statements run can be counted (the city-day bench case). */
export async function startPostgres({ statements = false }: { readonly statements?: boolean } = {}): Promise<Service> {
  const port = await freePort();
  const dir = await clusterDir('lianxin-pg-');
  const data = `${dir}/data`;
  const template = process.env[PG_TEMPLATE_ENV];
  if (template && existsSync(template)) {
    // As the cluster's user, so the copy is theirs with the modes initdb gave (PostgreSQL checks both).
    const copy = asClusterUser('cp', ['-a', template, data]);
    if (copy.status !== 0) throw new Error(`copying the cluster template ${template} failed:\n${copy.output}`);
  } else {
    initdb(data);
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses='' -c fsync=on -c synchronous_commit=on${statements ? ' -c shared_preload_libraries=pg_stat_statements' : ''}`;
  const start = asClusterUser(`${PG_BIN}/pg_ctl`, ['-D', data, '-o', options, '-l', `${dir}/log`, '-w', 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start failed:\n${start.output}`);
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: async () => {
      asClusterUser(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of the PostgreSQL service's Unix socket that holds every
 * chunk, both ways, for the delay set (none at first): one instance given
 * `url` sees a slow database (a far data centre, a database under load) while
 * the others do not.
 */
export interface SlowProxy {
  readonly url: string;
  /** Hold every chunk, both ways, this long from now on (0: none). */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

export async function startSlowPostgresProxy(postgres: Service): Promise<SlowProxy> {
  let delayMs = 0;
  const target = new URL(postgres.url);
  const socketPath = `${target.searchParams.get('host')}/.s.PGSQL.${target.searchParams.get('port')}`;
  const port = await freePort();
  const sockets = new Set<Socket>();
  const delayed = (from: Socket, to: Socket) => {
    // Chunks keep their order: each is sent no earlier than the one before.
    let last = 0;
    from.on('data', (chunk: Buffer) => {
      last = Math.max(last, Date.now() + delayMs);
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, last - Date.now());
    });
  };
  const server = createServer((client) => {
    const upstream = connect(socketPath);
    const close = () => {
      for (const socket of [client, upstream]) {
        setTimeout(() => socket.destroy(), delayMs);
        sockets.delete(socket);
      }
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', close);
      socket.on('end', close);
    }
    delayed(client, upstream);
    delayed(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
