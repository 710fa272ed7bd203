/**
 * `npm start`: build the extension and the field PWA, start the sync server on
 * its embedded defaults (SQLite in ./data, demo data seeded on first start)
 * serving the PWA at its own origin, start the demo 12345 portals, and print
 * where everything is. Ctrl-C stops it all cleanly.
 *
 *   npm start                          port 8787 on 127.0.0.1, data in ./data, portals on 8790
 *   npm start -- --no-build            skip both builds (serve what was built before)
 *   npm start -- --portals-port 9790   another port for the demo portals; --no-portals: none
 *   npm start -- --index-live off      keep every order in the live index docs (default: 30 days, then monthly archives)
 *   npm start -- --port 9000           any server option (see `node --import tsx server/main.ts --help`);
 *                                      PORT, HOST, DATA_DIR… environment variables work too
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configFromArgs } from '#server/config.ts';
import { logUnhandled } from '#server/log.ts';
import { EXIT_STORE_CORRUPT, startServer } from '#server/main.ts';
import { StoreCorruptError } from '#server/store/store.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#demo/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const extensionDir = join(root, '.output/chrome-mv3');

/** What scripts/start.ts uses of the demo portals (`startPortals` in tests/portals/server.ts). */
interface Portals {
  readonly urls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}
type StartPortals = (options: { port?: number; host?: string; orders?: unknown }) => Promise<Portals>;
/** The seeded server's orders for the portals (tests/portals/from-server.ts), or null. */
type OrdersFromServer = (serverUrl: string) => Promise<unknown>;

/**
 * The demo portals live with the extension's tests and are loaded only when
 * present, so the server starts from a checkout that does not have them.
 */
async function loadPortals(): Promise<StartPortals | null> {
  const file = join(root, 'tests/portals/server.ts');
  if (!existsSync(file)) return null;
  const module = (await import(pathToFileURL(file).href)) as { startPortals?: unknown };
  if (typeof module.startPortals !== 'function') throw new Error(`${file} does not export startPortals`);
  return module.startPortals as StartPortals;
}

async function loadOrdersFromServer(): Promise<OrdersFromServer | null> {
  const file = join(root, 'tests/portals/from-server.ts');
  if (!existsSync(file)) return null;
  const module = (await import(pathToFileURL(file).href)) as { ordersFromServer?: unknown };
  return typeof module.ordersFromServer === 'function' ? (module.ordersFromServer as OrdersFromServer) : null;
}

/** Runs a Node script from node_modules with this Node, so no npx wrapper is left behind on Ctrl-C. */
function runNode(script: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

/** A failed build does not stop the start: the server still serves the last good build, and the summary says so. */
async function build(what: string, script: string, args: readonly string[]): Promise<string | null> {
  const started = performance.now();
  process.stdout.write(`Building ${what}…\n`);
  try {
    await runNode(script, args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n!! ${what} build FAILED: ${message}\n\n`);
    return message;
  }
  process.stdout.write(`${what} built in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
  return null;
}

/** Takes out the options this script handles; the rest go to the server. */
function splitArgs(args: readonly string[]): { build: boolean; portals: boolean; portalsPort: number; serverArgs: string[] } {
  const serverArgs: string[] = [];
  let portalsPort = Number(process.env.PORTALS_PORT ?? 8790);
  let buildFlag = true;
  let portals = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--no-build') buildFlag = false;
    else if (arg === '--no-portals') portals = false;
    else if (arg === '--portals-port' || arg.startsWith('--portals-port=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      portalsPort = Number(value);
      if (!Number.isInteger(portalsPort) || portalsPort < 0 || portalsPort > 65535) throw new Error(`--portals-port must be 0–65535, got ${value}`);
    } else serverArgs.push(arg);
  }
  return { build: buildFlag, portals, portalsPort, serverArgs };
}

async function main(): Promise<void> {
  let options;
  let input;
  try {
    options = splitArgs(process.argv.slice(2));
    input = configFromArgs(options.serverArgs, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }

  let extensionFailed: string | null = null;
  let pwaFailed: string | null = null;
  if (options.build) {
    extensionFailed = await build('the extension (wxt build)', 'node_modules/wxt/bin/wxt.mjs', ['build']);
    pwaFailed = await build('the field PWA (vite build)', 'node_modules/vite/bin/vite.js', ['build', '--config', 'pwa/vite.config.ts']);
  }

  logUnhandled();
  // /metrics is closed without a token; for this local run, make one up and print it.
  const metricsToken = input.metricsToken ?? randomBytes(24).toString('base64url');
  const server = await startServer({ ...input, metricsToken, port: input.port ?? 8787, dataDir: input.dataDir ?? 'data' });
  let portals: Portals | null = null;
  let portalsFailed: string | null = null;
  if (options.portals) {
    try {
      const startPortals = await loadPortals();
      // The portals list the orders the demo seed created, under the same numbers (when the demo was seeded).
      const orders = await (await loadOrdersFromServer())?.(server.url).catch(() => null);
      portals = startPortals ? await startPortals({ port: options.portalsPort, host: server.config.host, ...(orders ? { orders } : {}) }) : null;
    } catch (error) {
      portalsFailed = error instanceof Error ? error.message : String(error);
    }
  }

  const pwaBuilt = existsSync(join(server.config.pwaDir, 'index.html'));
  const status = (failed: string | null, built: boolean) =>
    failed ? ` (BUILD FAILED: ${failed}${built ? '; serving the previous build' : ''})` : options.build ? '' : ' (not rebuilt: --no-build)';
  const lines = [
    '',
    '连心 Lianxin is running',
    `  field PWA     ${server.url}/${pwaBuilt ? '' : '  — not built: run npm run build:pwa'}${status(pwaFailed, pwaBuilt)}`,
    `  sync server   ${server.url}  (API /api, sync /sync)`,
    `  health        ${server.url}/healthz`,
    `  metrics       curl -H 'Authorization: Bearer ${metricsToken}' ${server.url}/metrics`,
    `  data          ${server.config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : server.config.dataDir}`,
    `  live index    ${server.config.indexLiveMs === null ? 'every order (--index-live off)' : `finished orders for ${Math.round(server.config.indexLiveMs / 86_400_000)} days, then monthly archives (--index-live T|off)`}`,
    `  extension     ${extensionDir}${status(extensionFailed, existsSync(join(extensionDir, 'manifest.json')))}`,
    '                chrome://extensions → Developer mode → Load unpacked → that folder',
  ];
  if (portals) {
    lines.push('  demo portals  (12345 portals for the extension to read and fill)');
    for (const [name, url] of Object.entries(portals.urls)) lines.push(`    ${name.padEnd(13)} ${url}`);
  } else if (portalsFailed) {
    lines.push(`  demo portals  NOT STARTED: ${portalsFailed} (--portals-port N for another port, --no-portals to skip)`);
  }
  const accounts = server.seeded?.accounts ?? DEMO_ACCOUNTS;
  lines.push('', server.seeded ? `Demo accounts seeded (password ${server.seeded.password}):` : `Demo accounts (password ${DEMO_PASSWORD}, if the demo was seeded in this data folder):`);
  for (const account of accounts) lines.push(`  ${account.id.padEnd(12)} ${account.role.padEnd(18)} ${account.name}`);
  lines.push('', 'Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: closing…\n`);
    Promise.all([server.close(), portals?.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof StoreCorruptError) {
    process.stderr.write(`lianxin: refusing to start: ${error.message}\n`);
    process.exit(EXIT_STORE_CORRUPT);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
