/**
 * Servers as real processes, as users run them: `node --import tsx <script>`
 * on port 0, ready when it prints "listening on <url>". Every process
 * started here is killed on exit, even when a case throws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ServerHandle {
  readonly url: string;
  readonly wsUrl: string;
  readonly pid: number;
  /** The bearer token its /metrics takes (Lianxin servers only). */
  readonly metricsToken?: string;
  stop(): Promise<void>;
}

export async function spawnServer(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
): Promise<ServerHandle> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => running.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in 60 s\n${stderr}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening\n${stderr}`));
    });
  });
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The Lianxin server on an existing data folder (seeded beforehand), quiet; `env` e.g. DATABASE_URL and REDIS_URL for one of several instances. */
export async function spawnLianxin(dataDir: string, extraArgs: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<ServerHandle> {
  // LIANXIN_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the measured server.
  const nodeArgs = process.env.LIANXIN_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // /metrics is closed without a token: give this server one, for the cases that read it.
  const metricsToken = randomBytes(24).toString('base64url');
  const handle = await spawnServer('server/main.ts', ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--no-seed-demo', '--quiet', ...extraArgs], { ...env, METRICS_TOKEN: metricsToken }, nodeArgs);
  return { ...handle, metricsToken };
}

/**
 * Resolves once the server's start-up work has ended (the duplicate detector's read of every stored
 * order, `lianxin_duplicates_warmed` on /metrics): until then it takes most of the CPU on a large store,
 * and a case that measures a server that has been up must not time the start instead.
 */
export async function serverWarmed(server: ServerHandle, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.metricsToken ?? ''}` } });
    const text = await res.text();
    if (/^lianxin_duplicates_warmed 1$/m.test(text)) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`the server did not finish warming in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
