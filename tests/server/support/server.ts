/**
 * A real server process for tests: `node --import tsx server/main.ts` on
 * port 0 in a temporary data folder. Killable with any signal (the
 * durability tests use SIGKILL) and restartable on the same data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixtureFile } from './fixture.ts';
import { waitFor, WAIT_MS } from '../../support/wait.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Every test server's /metrics token (METRICS_TOKEN), unless a test sets its own; `metrics()` sends it. */
export const TEST_METRICS_TOKEN = 'test-servers-metrics-token';
const running = new Set<ChildProcess>();

export interface ServerOptions {
  /** Reuse a data folder (restart); a fresh temporary one otherwise. */
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Extra options for node itself, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** Seed the demo data as `npm start` does, instead of passing --no-seed-demo. */
  readonly seedDemo?: boolean;
  /** Import the test organisation and users (default true). */
  readonly importFixture?: boolean;
  /**
   * Run the server's clock this far ahead of this process's (libfaketime, the
   * Debian package `faketime`): a server restarted days later. Composes with
   * a shift `npm run test:dates` already applied. See `fakeClockMissing`.
   */
  readonly clockOffsetMs?: number;
}

export interface ServerProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Everything the process wrote to stderr so far (JSON log lines). */
  logs(): string;
  /**
   * Resolves with the logs once they hold `line`. A line the server wrote before it answered
   * may still be in the stderr pipe when the answer arrives: assert a line's presence with this.
   */
  logged(line: string | RegExp): Promise<string>;
  /** How the process ended (`exit code 1`, `signal SIGKILL`), or null while it runs. */
  ended(): string | null;
  /** Its /metrics text (with the test token). */
  metrics(): Promise<string>;
  /** Send a signal and wait for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start a new process on the same data folder (and options, with these changed). */
  restart(changes?: Partial<Pick<ServerOptions, 'env' | 'args' | 'clockOffsetMs'>>): Promise<ServerProcess>;
}

/** libfaketime as the `faketime` command preloads it (the dynamic loader expands `$LIB`). */
const FAKETIME_LIBRARY = '/usr/$LIB/faketime/libfaketime.so.1';

/**
 * The environment for a process whose clock runs `offsetMs` ahead of this
 * one's (itself perhaps shifted by `npm run test:dates`). The library is
 * preloaded directly rather than through the `faketime` command, which forks:
 * a kill must reach the server itself.
 */
function shiftedClockEnv(offsetMs: number): Record<string, string> {
  const inherited = /^([+-]?\d+)s$/.exec(process.env.FAKETIME ?? '');
  const seconds = (inherited ? Number(inherited[1]) : 0) + Math.round(offsetMs / 1000);
  const preload = process.env.LD_PRELOAD ?? '';
  return {
    FAKETIME: `${seconds >= 0 ? '+' : ''}${seconds}s`,
    LD_PRELOAD: /faketime/.test(preload) ? preload : [preload, FAKETIME_LIBRARY].filter(Boolean).join(':'),
  };
}

/** Why a server cannot run on a shifted clock here, or null when it can. */
export function fakeClockMissing(): string | null {
  const day = 86_400_000;
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { env: { ...process.env, ...shiftedClockEnv(day) }, encoding: 'utf8' });
  const shift = Number(probe.stdout) - Date.now();
  return probe.status === 0 && Math.abs(shift - day) < 60_000 ? null : 'libfaketime is not installed (apt-get install faketime)';
}

export async function tempDir(prefix = 'lianxin-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startServer(options: ServerOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await tempDir());
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir];
  if (!options.seedDemo) args.push('--no-seed-demo');
  if (options.importFixture !== false) {
    const file = join(dataDir, 'fixture.json');
    await writeFile(file, JSON.stringify(fixtureFile()));
    args.push('--import', file);
  }
  args.push(...(options.args ?? []));
  const clock = options.clockOffsetMs ? shiftedClockEnv(options.clockOffsetMs) : {};
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // Tests fold a log after its first changes (no 16 KB floor), so that compaction is exercised on small orders.
    env: { ...process.env, COMPACT_DEBOUNCE: '200ms', COMPACT_MIN_BYTES: '0', METRICS_TOKEN: TEST_METRICS_TOKEN, ...options.env, ...clock },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  exited.then(() => running.delete(child));
  const url = await new Promise<string>((ok, fail) => {
    let settled = false;
    const failAndClean = (error: Error) => {
      if (settled) return;
      settled = true;
      if (!options.dataDir) void rm(dataDir, { recursive: true, force: true });
      fail(error);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      failAndClean(new Error(`server did not start in ${WAIT_MS} ms; its stderr:\n${stderr}`));
    }, WAIT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(stdout);
      if (found && !settled) {
        settled = true;
        clearTimeout(timer);
        ok(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      failAndClean(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  const self: ServerProcess = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    dataDir,
    pid: child.pid!,
    logs: () => stderr,
    logged: async (line) => {
      await waitFor(() => (typeof line === 'string' ? stderr.includes(line) : line.test(stderr)), `the server to log ${String(line)}`);
      return stderr;
    },
    ended: () => (child.exitCode !== null ? `exit code ${child.exitCode}` : child.signalCode !== null ? `signal ${child.signalCode}` : null),
    metrics: async () => {
      const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${options.env?.METRICS_TOKEN ?? TEST_METRICS_TOKEN}` } });
      if (res.status !== 200) throw new Error(`/metrics: ${res.status} ${await res.text()}`);
      return res.text();
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    restart: (changes = {}) => startServer({ ...options, ...changes, dataDir, importFixture: false }),
  };
  return self;
}

/** Kill every server process still running (afterAll) and remove folders. */
export async function stopAll(dirs: readonly string[] = []): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
